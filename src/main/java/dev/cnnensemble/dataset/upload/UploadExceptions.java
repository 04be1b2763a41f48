package dev.cnnensemble.dataset.upload;

import dev.cnnensemble.support.ProblemException;

import org.springframework.http.HttpStatus;

/** Why an upload is refused; the detail names the part or entry at fault. */
public final class UploadExceptions {

    private UploadExceptions() {
    }

    /** Content that cannot make a dataset: corrupt, inconsistent, hostile or too thin. */
    public static class UnusableUpload extends ProblemException {
        public UnusableUpload(String message) {
            super(HttpStatus.UNPROCESSABLE_CONTENT, "Dataset cannot be used", message);
        }
    }

    /** More images or bytes than one upload may hold. */
    public static class UploadTooLarge extends ProblemException {
        public UploadTooLarge(String message) {
            super(HttpStatus.CONTENT_TOO_LARGE, "Dataset too large", message);
        }
    }
}
