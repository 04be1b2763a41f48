package dev.cnnensemble.jobs;

import dev.cnnensemble.training.CheckpointInfo;
import dev.cnnensemble.training.EpochMetrics;
import dev.cnnensemble.training.TrainingConfig;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** A job as the API shows it: state, timestamps, effective config, progress, members, metric history, checkpoints. */
@Schema(name = "Job")
public record JobView(
        @Schema(example = "3f0e4e4c-8a5e-4c43-9d59-0c1f3a4f2b7e") String id,
        @Schema(example = "baseline") @Nullable String name,
        JobState state,
        Instant createdAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt,
        @Schema(description = "The configuration the job trains with, defaults filled in") TrainingConfig config,
        Progress progress,
        @Schema(description = "Each member: a unit of work that any worker of any replica may train") List<MemberView> members,
        @Schema(description = "Per epoch: each member's figures as it finishes the epoch, and the ensemble's once every member has")
        @Nullable List<EpochView> history,
        @Schema(description = "Checkpoints kept on the volume, oldest first") @Nullable List<CheckpointInfo> checkpoints,
        @Schema(description = "Why the job failed, when it did") @Nullable String error,
        @Schema(description = "The most times a worker started one of its members; above 1 after a resume, a restart or a failover")
        int attempts,
        @Schema(description = "The first epoch that a member continuing from a checkpoint trained; null when none did")
        @Nullable Integer resumedAtEpoch,
        @Schema(description = "Steps already in checkpoints when those members continued, all of them together; null when none did")
        @Nullable Long resumedAtStep,
        @Schema(description = "A cancel was requested and the running members stop at their next step") boolean stopRequested) {

    /**
     * Progress over every member's epochs, evaluations included.
     *
     * @param runningMembers   members training now, on any worker of any replica
     * @param epoch            the epoch of the running member furthest behind
     * @param step             that member's step within it
     * @param samplesPerSecond training images per second of the running members together, each counted as its
     *                         history rows count it (optimiser time only)
     * @param etaSeconds       the time left at the pace so far, evaluation pauses included
     */
    public record Progress(double percent, int runningMembers, Integer ensembleSize, @Nullable Integer epoch, Integer epochs,
                           @Nullable Integer step, @Nullable Integer stepsPerEpoch, @Nullable Double samplesPerSecond,
                           @Nullable Long etaSeconds) {
    }

    /** A member task: where it stands, and which worker trains it. */
    public record MemberView(int member, MemberState state, @Schema(description = "replica/worker, while running") @Nullable String worker,
                             int attempt, @Nullable Integer epoch, @Nullable Integer step, double percent,
                             @Nullable Double samplesPerSecond, @Nullable Integer resumedAtEpoch, @Nullable Long resumedAtStep,
                             @Nullable String error) {
    }

    /**
     * One epoch: the ensemble's metrics (averaged logits) once every member has finished it, and each
     * member's (null until that member finishes it).
     *
     * @param trainingSeconds  optimiser time of the epoch, all members added up
     * @param samplesPerSecond training images per second of that time: what one member trains at
     */
    public record EpochView(int epoch, double learningRate, @Nullable Double trainingSeconds, @Nullable Double samplesPerSecond,
                            @Nullable EpochMetrics ensemble, List<@Nullable EpochMetrics> members) {
    }
}
