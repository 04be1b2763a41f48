package dev.cnnensemble.jobs;

/** A member task's life: QUEUED until a worker claims it, RUNNING, then DONE, CANCELLED or FAILED. */
public enum MemberState {
    QUEUED, RUNNING, DONE, CANCELLED, FAILED;

    boolean isOpen() {
        return this == QUEUED || this == RUNNING;
    }
}
