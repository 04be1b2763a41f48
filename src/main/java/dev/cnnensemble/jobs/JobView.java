package dev.cnnensemble.jobs;

import dev.cnnensemble.training.CheckpointInfo;
import dev.cnnensemble.training.EpochMetrics;
import dev.cnnensemble.training.TrainingConfig;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** A job as the API shows it: state, timestamps, effective config, progress, metric history, checkpoints. */
@Schema(name = "Job")
public record JobView(
        @Schema(example = "3f0e4e4c-8a5e-4c43-9d59-0c1f3a4f2b7e") String id,
        @Schema(example = "baseline") String name,
        JobState state,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        @Schema(description = "The configuration the job trains with, defaults filled in") TrainingConfig config,
        Progress progress,
        @Schema(description = "Per epoch: each member's and the ensemble's loss and accuracies") List<EpochView> history,
        @Schema(description = "Checkpoints kept on the volume, oldest first") List<CheckpointInfo> checkpoints,
        @Schema(description = "Why the job failed, when it did") String error,
        @Schema(description = "Times a worker started the job; above 1 after a resume") int attempts,
        @Schema(description = "First epoch of the latest attempt") Integer resumedAtEpoch,
        @Schema(description = "Steps (all members) already in checkpoints when the latest attempt started") Long resumedAtStep,
        @Schema(description = "A cancel was requested and the job stops at the next step") boolean stopRequested) {

    /**
     * Progress over all members x epochs x steps.
     *
     * @param etaSeconds the remaining time at the pace so far, evaluation included
     */
    public record Progress(double percent, Integer member, Integer ensembleSize, Integer epoch, Integer epochs, Integer step,
                           Integer stepsPerEpoch, Double samplesPerSecond, Long etaSeconds) {
    }

    /** One epoch: the ensemble's metrics (averaged logits) and each member's. */
    public record EpochView(int epoch, double learningRate, double trainingSeconds, double samplesPerSecond,
                            EpochMetrics ensemble, List<EpochMetrics> members) {
    }
}
