package dev.cnnensemble.inference;

import dev.cnnensemble.support.ProblemException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** The inference feature's errors, each with its own status, title and headers. */
public final class InferenceExceptions {

    private InferenceExceptions() {
    }

    /** More images, or more bytes, than one request may carry. */
    public static class TooLarge extends ProblemException {
        public TooLarge(String message) {
            super(HttpStatus.CONTENT_TOO_LARGE, "Request too large", message);
        }
    }

    /** A model that does not exist, such as an unset default. */
    public static class UnknownModel extends ProblemException {
        public UnknownModel(String message) {
            super(HttpStatus.NOT_FOUND, "Model not found", message);
        }
    }

    /** A JSON body without a Content-Length, which could not be bounded before reading it. */
    public static class LengthRequired extends ProblemException {
        public LengthRequired(String message) {
            super(HttpStatus.LENGTH_REQUIRED, "Content-Length required", message);
        }
    }

    /** No model to predict with: nothing trained yet, or no default chosen. */
    public static class NoModel extends ProblemException {
        public NoModel(String message) {
            super(HttpStatus.CONFLICT, "No model to predict with", message);
        }
    }

    /** The requested job is not a model: it has not succeeded. */
    public static class NotAModel extends ProblemException {
        public NotAModel(String message) {
            super(HttpStatus.CONFLICT, "Not a model", message);
        }
    }

    /** Too much work waiting: come back after Retry-After. */
    public static class Overloaded extends ProblemException {
        private final long retryAfterSeconds;

        public Overloaded(String message, long retryAfterSeconds) {
            super(HttpStatus.SERVICE_UNAVAILABLE, "Overloaded", message);
            this.retryAfterSeconds = retryAfterSeconds;
            getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, retryAfterSeconds)));
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
