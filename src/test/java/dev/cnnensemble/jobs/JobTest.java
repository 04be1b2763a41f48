package dev.cnnensemble.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnensemble.jobs.JobExceptions.Conflict;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The job aggregate's transitions, each checked by the job itself. */
class JobTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);

    private static Job twoMembers() {
        return Job.submit("job", "name", "{}", "mnist", 2, null, null, T0);
    }

    @Test
    void aSubmittedJobWaitsWithOneQueuedTaskPerMember() {
        Job job = twoMembers();

        assertThat(job.state()).isEqualTo(JobState.QUEUED);
        assertThat(job.members).extracting(t -> t.state).containsExactly(MemberState.QUEUED, MemberState.QUEUED);
    }

    @Test
    void claimingAMemberRunsTheJobAndNumbersTheAttempt() {
        Job job = twoMembers();

        assertThat(job.claim(0, "a/0", T1)).hasValue(1);
        assertThat(job.claim(1, "b/0", T1)).hasValue(1);

        assertThat(job.state()).isEqualTo(JobState.RUNNING);
        assertThat(job.startedAt).isEqualTo(T1);
        assertThat(job.members).extracting(t -> t.worker).containsExactly("a/0", "b/0");
    }

    @Test
    void theJobSucceedsWhenItsLastMemberIsDone() {
        Job job = twoMembers();
        job.claim(0, "a/0", T0);
        job.claim(1, "a/1", T0);

        job.memberDone(0, 1, T1);
        assertThat(job.state()).isEqualTo(JobState.RUNNING);
        job.memberDone(1, 1, T1);

        assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.finishedAt).isEqualTo(T1);
    }

    @Test
    void aTakeOverFencesOutTheWorkerThatLostTheMember() {
        Job job = twoMembers();
        job.claim(0, "a/0", T0);

        // The queue hands the member out again only when its worker counts as dead.
        assertThat(job.claim(0, "b/0", T1)).hasValue(2);

        assertThat(job.holds(0, 1)).isFalse();
        assertThatThrownBy(() -> job.memberDone(0, 1, T1)).isInstanceOf(Job.LostClaim.class);
        job.memberDone(0, 2, T1);
        assertThat(job.members.get(0).state).isEqualTo(MemberState.DONE);
    }

    @Test
    void cancellingAQueuedJobEndsItAtOnce() {
        Job job = twoMembers();

        assertThat(job.cancel(T1)).containsExactly(0, 1);

        assertThat(job.state()).isEqualTo(JobState.CANCELLED);
        assertThat(job.finishedAt).isEqualTo(T1);
        assertThat(job.claim(0, "a/0", T1)).isEmpty();
    }

    @Test
    void cancellingARunningJobWaitsForItsRunningMembersAndDequeuesTheOthers() {
        Job job = twoMembers();
        job.claim(0, "a/0", T0);

        assertThat(job.cancel(T1)).containsExactly(1);
        assertThat(job.state()).isEqualTo(JobState.RUNNING);
        assertThat(job.stopReason).isEqualTo(Job.StopReason.CANCEL);

        job.memberStopped(0, 1, T1);
        assertThat(job.state()).isEqualTo(JobState.CANCELLED);
        assertThatThrownBy(() -> job.cancel(T1)).isInstanceOf(Conflict.class).hasMessageContaining("already CANCELLED");
    }

    @Test
    void aFailingMemberFailsTheJobOnceTheOthersStopped() {
        Job job = twoMembers();
        job.claim(0, "a/0", T0);
        job.claim(1, "a/1", T0);

        job.memberFailed(1, 1, "OutOfMemoryError: off-heap", T1);
        assertThat(job.state()).isEqualTo(JobState.RUNNING);
        assertThat(job.stopReason).isEqualTo(Job.StopReason.FAILURE);
        job.memberStopped(0, 1, T1);

        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.error).isEqualTo("member 1: OutOfMemoryError: off-heap");
    }

    @Test
    void aShutdownPutsTheMemberBackInTheQueueForAnyWorker() {
        Job job = twoMembers();
        job.claim(0, "a/0", T0);

        job.memberReleased(0, 1, T1);

        assertThat(job.state()).isEqualTo(JobState.QUEUED);
        assertThat(job.members.get(0).state).isEqualTo(MemberState.QUEUED);
        assertThat(job.claim(0, "b/0", T1)).hasValue(2);
    }

    @Test
    void resumingRequeuesTheMembersThatAreNotDone() {
        Job job = twoMembers();
        job.claim(0, "a/0", T0);
        job.claim(1, "a/1", T0);
        job.memberDone(0, 1, T0);
        job.cancel(T0);
        job.memberStopped(1, 1, T0);

        assertThat(job.resume(T1)).containsExactly(1);

        assertThat(job.state()).isEqualTo(JobState.QUEUED);
        assertThat(job.stopReason).isNull();
        assertThat(job.finishedAt).isNull();
        assertThat(job.members).extracting(t -> t.state).containsExactly(MemberState.DONE, MemberState.QUEUED);
    }

    @Test
    void onlyCancelledOrFailedJobsResume() {
        Job job = twoMembers();
        assertThatThrownBy(() -> job.resume(T1)).isInstanceOf(Conflict.class).hasMessageContaining("is QUEUED");

        job.claim(0, "a/0", T0);
        job.cancel(T0);
        // Still stopping: a resume now could train the member twice.
        assertThatThrownBy(() -> job.resume(T1)).isInstanceOf(Conflict.class).hasMessageContaining("is RUNNING");
    }

    @Test
    void aMemberResumedFromACheckpointSaysWhere() {
        Job job = twoMembers();
        job.claim(0, "a/0", T0);

        job.resumedAt(0, 1, 2, 60, T1);

        assertThat(job.members.get(0).resumedAtEpoch).isEqualTo(2);
        assertThat(job.members.get(0).resumedAtStep).isEqualTo(60);
        job.resumedAt(0, 1, 1, 0, T1);
        assertThat(job.members.get(0).resumedAtEpoch).as("a fresh start is not a resume").isEqualTo(2);
    }
}
