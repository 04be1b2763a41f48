package dev.cnnensemble.inference;

/** The inference feature's errors; the web layer maps each to its status. */
public final class InferenceExceptions {

    private InferenceExceptions() {
    }

    /** An uploaded part is empty or does not decode (400). */
    public static class UndecodableImage extends RuntimeException {
        public UndecodableImage(String part, String why) {
            super(part + " " + why);
        }
    }

    /** An image in a format the service does not read (415). */
    public static class UnsupportedImageFormat extends RuntimeException {
        public UnsupportedImageFormat(String part, String format) {
            super(part + " is " + format + "; supported formats are PNG, JPEG, GIF and BMP");
        }
    }

    /** An image of the wrong size, or one with nothing to recognise in it (422). */
    public static class UnprocessableImage extends RuntimeException {
        public UnprocessableImage(String message) {
            super(message);
        }
    }

    /** More images, or more bytes, than one request may carry (413). */
    public static class TooLarge extends RuntimeException {
        public TooLarge(String message) {
            super(message);
        }
    }

    /** A model that does not exist, such as an unset default (404). */
    public static class UnknownModel extends RuntimeException {
        public UnknownModel(String message) {
            super(message);
        }
    }

    /** A JSON body without a Content-Length, which could not be bounded before reading it (411). */
    public static class LengthRequired extends RuntimeException {
        public LengthRequired(String message) {
            super(message);
        }
    }

    /** No model to predict with (409): nothing trained yet, or no default chosen. */
    public static class NoModel extends RuntimeException {
        public NoModel(String message) {
            super(message);
        }
    }

    /** The requested job is not a model (409): it has not succeeded. */
    public static class NotAModel extends RuntimeException {
        public NotAModel(String message) {
            super(message);
        }
    }

    /** Too much work waiting (503 with Retry-After). */
    public static class Overloaded extends RuntimeException {
        private final long retryAfterSeconds;

        public Overloaded(String message, long retryAfterSeconds) {
            super(message);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
