package dev.cnnensemble.jobs;

/** A job's life: QUEUED, RUNNING, then one of the three final states. */
public enum JobState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
