package dev.cnnensemble.jobs;

import dev.cnnensemble.support.ProblemException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** The jobs feature's errors, each with its own status, title and headers. */
public final class JobExceptions {

    private JobExceptions() {
    }

    public static class NotFound extends ProblemException {
        public NotFound(String id) {
            super(HttpStatus.NOT_FOUND, "Job not found", "no job with id " + id);
        }
    }

    /** The job's state does not allow the request. */
    public static class Conflict extends ProblemException {
        public Conflict(String message) {
            super(HttpStatus.CONFLICT, "Job state does not allow this", message);
        }
    }

    /** An Idempotency-Key sent again with another request: the IETF draft's 422. */
    public static class IdempotencyKeyReused extends ProblemException {
        public IdempotencyKeyReused(String key, String jobId) {
            super(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency-Key reused", "the Idempotency-Key '" + key + "' was sent with another "
                    + "request, which started job " + jobId + "; a retry must repeat that request exactly, and a new request needs a new key");
        }
    }

    /** A retry that arrives while the request it repeats is still being stored: the IETF draft's 409. */
    public static class IdempotencyKeyInFlight extends ProblemException {
        public IdempotencyKeyInFlight(String key) {
            super(HttpStatus.CONFLICT, "Request in progress", "a request with the Idempotency-Key '" + key
                    + "' is still being processed; retry after Retry-After to get its job");
            getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
        }
    }

    /** A request body larger than any job request. */
    public static class RequestTooLarge extends ProblemException {
        public RequestTooLarge(String message) {
            super(HttpStatus.CONTENT_TOO_LARGE, "Request too large", message);
        }
    }

    /** The queue is full: come back after Retry-After. */
    public static class QueueFull extends ProblemException {
        public QueueFull(int capacity, long retryAfterSeconds) {
            super(HttpStatus.SERVICE_UNAVAILABLE, "Training queue full", "the training queue is full (" + capacity + " jobs waiting); retry later");
            getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, retryAfterSeconds)));
        }
    }
}
