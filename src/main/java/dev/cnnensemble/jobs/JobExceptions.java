package dev.cnnensemble.jobs;

/** The jobs feature's errors, each mapped to its status by the web layer. */
public final class JobExceptions {

    private JobExceptions() {
    }

    public static class NotFound extends RuntimeException {
        public NotFound(String id) {
            super("no job with id " + id);
        }
    }

    /** The job's state does not allow the request (409). */
    public static class Conflict extends RuntimeException {
        public Conflict(String message) {
            super(message);
        }
    }

    /** The queue is full (503 with Retry-After). */
    public static class QueueFull extends RuntimeException {
        private final long retryAfterSeconds;

        public QueueFull(int capacity, long retryAfterSeconds) {
            super("the training queue is full (" + capacity + " jobs waiting); retry later");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
