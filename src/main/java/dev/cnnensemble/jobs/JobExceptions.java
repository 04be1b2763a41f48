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

    /** The queue is full: come back after Retry-After. */
    public static class QueueFull extends ProblemException {
        public QueueFull(int capacity, long retryAfterSeconds) {
            super(HttpStatus.SERVICE_UNAVAILABLE, "Training queue full", "the training queue is full (" + capacity + " jobs waiting); retry later");
            getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, retryAfterSeconds)));
        }
    }
}
