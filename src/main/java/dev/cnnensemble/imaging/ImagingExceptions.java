package dev.cnnensemble.imaging;

import dev.cnnensemble.support.ProblemException;

import org.springframework.http.HttpStatus;

/** Why an image cannot be used, each with its own status and title. */
public final class ImagingExceptions {

    private ImagingExceptions() {
    }

    /** An image that is empty or does not decode. */
    public static class UndecodableImage extends ProblemException {
        public UndecodableImage(String part, String why) {
            super(HttpStatus.BAD_REQUEST, "Invalid image", part + " " + why);
        }
    }

    /** An image in a format the service does not read. */
    public static class UnsupportedImageFormat extends ProblemException {
        public UnsupportedImageFormat(String part, String format) {
            super(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported image format",
                    part + " is " + format + "; supported formats are PNG, JPEG, GIF and BMP");
        }
    }

    /** An image of the wrong size, or one with nothing to recognise in it. */
    public static class UnprocessableImage extends ProblemException {
        public UnprocessableImage(String message) {
            super(HttpStatus.UNPROCESSABLE_CONTENT, "Image cannot be used", message);
        }
    }
}
