package dev.cnnensemble.jobs;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One member of a job as a unit of work: its state, which worker holds it, and its attempt number.
 * The attempt is a fencing token: a worker that took the member as attempt k may record its results
 * only while the member is still at attempt k, so a worker declared dead by mistake (a paused JVM,
 * a skewed clock) cannot overwrite the work of the one that took over.
 */
public class MemberTask {

    MemberState state;
    int attempt;
    @Nullable String worker;
    @Nullable String error;
    /** Where the latest attempt picked up: its first epoch, and the steps already in checkpoints. */
    @Nullable Integer resumedAtEpoch;
    @Nullable Long resumedAtStep;
    @Nullable Instant startedAt;
    @Nullable Instant finishedAt;

    static MemberTask queued() {
        MemberTask task = new MemberTask();
        task.state = MemberState.QUEUED;
        return task;
    }

    int attempt() {
        return attempt;
    }
}
