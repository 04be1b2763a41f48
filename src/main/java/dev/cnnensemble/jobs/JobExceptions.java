package dev.cnnensemble.jobs;

import dev.cnnensemble.support.Problems;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** The jobs feature's errors, each with its own status, title and headers. */
public final class JobExceptions {

    private JobExceptions() {
    }

    public static class NotFound extends ErrorResponseException {
        public NotFound(String id) {
            super(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND, "Job not found", "no job with id " + id), null);
        }
    }

    /** The job's state does not allow the request. */
    public static class Conflict extends ErrorResponseException {
        public Conflict(String message) {
            super(HttpStatus.CONFLICT, Problems.of(HttpStatus.CONFLICT, "Job state does not allow this", message), null);
        }
    }

    /** The queue is full: come back after Retry-After. */
    public static class QueueFull extends ErrorResponseException {
        public QueueFull(int capacity, long retryAfterSeconds) {
            super(HttpStatus.SERVICE_UNAVAILABLE, Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Training queue full",
                    "the training queue is full (" + capacity + " jobs waiting); retry later"), null);
            getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, retryAfterSeconds)));
        }
    }
}
