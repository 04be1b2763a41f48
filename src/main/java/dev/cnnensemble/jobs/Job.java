package dev.cnnensemble.jobs;

import dev.cnnensemble.jobs.JobExceptions.Conflict;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.jspecify.annotations.Nullable;

/**
 * A training job and its member tasks: the aggregate that owns every state change. A job is QUEUED
 * while no member runs, RUNNING while one does, and ends SUCCEEDED when every member is done,
 * CANCELLED or FAILED once a stop was asked (by a user, or by a failing member) and no member runs
 * any more. Each method checks that its transition is allowed; the repository's version column makes
 * concurrent changes from several workers or replicas retry instead of overwriting one another.
 * Stored as {@code job_record} with its {@code member_task} rows (see {@link JobTables}).
 */
public class Job {

    /** Why the job's running members are asked to stop. */
    enum StopReason { CANCEL, FAILURE }

    /** A worker acts on a member it no longer holds: another worker took it over. */
    static final class LostClaim extends RuntimeException {
        LostClaim(String jobId, int member, int attempt) {
            super("job " + jobId + " member " + member + " attempt " + attempt + " was taken over by another worker");
        }
    }

    @Id
    String id;
    @Version
    @Nullable Long version;
    @Nullable String name;
    JobState state;
    @Nullable String idempotencyKey;
    /** SHA-256 of the request that came with the key; null for jobs stored before it was kept. */
    @Nullable String idempotencyFingerprint;
    String configJson;
    /** Its configuration's dataset, kept in a column that references the dataset, so that neither can go first. */
    String dataset;
    Instant createdAt;
    @Nullable Instant startedAt;
    @Nullable Instant finishedAt;
    Instant updatedAt;
    @Nullable String error;
    @Nullable StopReason stopReason;
    List<MemberTask> members = new ArrayList<>();

    static Job submit(String id, @Nullable String name, String configJson, String dataset, int ensembleSize, @Nullable String idempotencyKey,
                      @Nullable String idempotencyFingerprint, Instant now) {
        Job job = new Job();
        job.id = id;
        job.name = name;
        job.state = JobState.QUEUED;
        job.idempotencyKey = idempotencyKey;
        job.idempotencyFingerprint = idempotencyFingerprint;
        job.configJson = configJson;
        job.dataset = dataset;
        job.createdAt = now;
        job.updatedAt = now;
        job.members = new ArrayList<>(IntStream.range(0, ensembleSize).mapToObj(m -> MemberTask.queued()).toList());
        return job;
    }

    public String id() {
        return id;
    }

    /** Whether a request with this fingerprint may replay this job: the same request, or a job from before fingerprints. */
    boolean repeatedBy(String fingerprint) {
        return idempotencyFingerprint == null || idempotencyFingerprint.equals(fingerprint);
    }

    public JobState state() {
        return state;
    }

    /**
     * A worker takes a member: the member runs as the next attempt, whose number it returns. Empty when
     * the member is not to run (the job ended or is stopping, or the member finished). A RUNNING
     * member is taken over: the queue hands it out again only when its worker has died.
     */
    OptionalInt claim(int member, String worker, Instant now) {
        MemberTask task = members.get(member);
        if (state.isFinal() || stopReason != null || !task.state.isOpen()) {
            return OptionalInt.empty();
        }
        task.state = MemberState.RUNNING;
        task.attempt++;
        task.worker = worker;
        task.startedAt = now;
        task.finishedAt = null;
        task.resumedAtEpoch = null;
        task.resumedAtStep = null;
        startedAt = startedAt == null ? now : startedAt;
        settle(now);
        return OptionalInt.of(task.attempt);
    }

    /** Records where a member's attempt picked up, when it continued from a checkpoint. */
    void resumedAt(int member, int attempt, int firstEpoch, long completedSteps, Instant now) {
        MemberTask task = held(member, attempt);
        if (completedSteps > 0) {
            task.resumedAtEpoch = firstEpoch;
            task.resumedAtStep = completedSteps;
        }
        updatedAt = now;
    }

    void memberDone(int member, int attempt, Instant now) {
        end(held(member, attempt), MemberState.DONE, now);
        settle(now);
    }

    /** The member stopped at a shutdown: it waits again, for any worker, from its checkpoint. */
    void memberReleased(int member, int attempt, Instant now) {
        MemberTask task = held(member, attempt);
        task.state = MemberState.QUEUED;
        task.worker = null;
        settle(now);
    }

    /** The member stopped because the job is stopping. */
    void memberStopped(int member, int attempt, Instant now) {
        end(held(member, attempt), MemberState.CANCELLED, now);
        settle(now);
    }

    /** The member failed: the job fails once its other running members have stopped. */
    void memberFailed(int member, int attempt, String reason, Instant now) {
        end(held(member, attempt), MemberState.FAILED, now);
        members.get(member).error = reason;
        membersIn(MemberState.QUEUED).forEach(m -> end(members.get(m), MemberState.CANCELLED, now));
        if (stopReason == null) {
            stopReason = StopReason.FAILURE;
            error = "member " + member + ": " + reason;
        }
        settle(now);
    }

    /**
     * Cancels the members that wait at once, and asks running ones to stop after their current step.
     * Returns the members taken off the queue.
     */
    List<Integer> cancel(Instant now) {
        if (state.isFinal()) {
            throw new Conflict("job " + id + " is already " + state);
        }
        List<Integer> dequeued = membersIn(MemberState.QUEUED);
        dequeued.forEach(m -> end(members.get(m), MemberState.CANCELLED, now));
        stopReason = stopReason == null ? StopReason.CANCEL : stopReason;
        settle(now);
        return dequeued;
    }

    /** Puts a cancelled or failed job back in the queue; returns the members to train again. */
    List<Integer> resume(Instant now) {
        if (state != JobState.CANCELLED && state != JobState.FAILED) {
            throw new Conflict("only CANCELLED or FAILED jobs can be resumed; job " + id + " is " + state);
        }
        List<Integer> again = IntStream.range(0, members.size()).filter(m -> members.get(m).state != MemberState.DONE).boxed().toList();
        for (int m : again) {
            MemberTask task = members.get(m);
            task.state = MemberState.QUEUED;
            task.worker = null;
            task.error = null;
            task.finishedAt = null;
        }
        stopReason = null;
        error = null;
        finishedAt = null;
        settle(now);
        return again;
    }

    /** Gives a job stored before members were tasks its member rows. */
    void ensureMembers(int ensembleSize) {
        while (members.size() < ensembleSize) {
            members.add(MemberTask.queued());
        }
    }

    List<Integer> membersIn(MemberState memberState) {
        return IntStream.range(0, members.size()).filter(m -> members.get(m).state == memberState).boxed().toList();
    }

    boolean holds(int member, int attempt) {
        MemberTask task = members.get(member);
        return task.state == MemberState.RUNNING && task.attempt == attempt;
    }

    private MemberTask held(int member, int attempt) {
        if (!holds(member, attempt)) {
            throw new LostClaim(id, member, attempt);
        }
        return members.get(member);
    }

    private static void end(MemberTask task, MemberState end, Instant now) {
        task.state = end;
        task.worker = null;
        task.finishedAt = now;
    }

    /** The job's state follows from its members' and from whether a stop was asked. */
    private void settle(Instant now) {
        JobState next;
        if (members.stream().anyMatch(t -> t.state == MemberState.RUNNING)) {
            next = JobState.RUNNING;
        } else if (members.stream().allMatch(t -> t.state == MemberState.DONE)) {
            next = JobState.SUCCEEDED;
        } else if (stopReason != null) {
            next = stopReason == StopReason.FAILURE ? JobState.FAILED : JobState.CANCELLED;
        } else {
            next = JobState.QUEUED;
        }
        if (next.isFinal() && !state.isFinal()) {
            finishedAt = now;
        }
        state = next;
        updatedAt = now;
    }
}
