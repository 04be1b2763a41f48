package dev.cnnensemble.training;

import com.fasterxml.jackson.annotation.JsonFormat;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One saved state of a member. {@code epoch} counts completed epochs; {@code step} is 0 at an epoch
 * boundary, or the steps already done of epoch {@code epoch + 1} for a checkpoint taken on request
 * (cancel, shutdown) in the middle of an epoch.
 *
 * @param iteration    optimiser steps so far: the position in the learning-rate schedule
 * @param partialLoss  the sum of the minibatch losses of the unfinished epoch, to resume its mean
 * @param metrics      the epoch's metrics, at an epoch boundary; null mid-epoch
 */
public record CheckpointInfo(int member, int epoch, int step, @Nullable String file, @Nullable String sha256, long bytes, int iteration,
                             double learningRate,
                             @Schema(description = "The member's seed, derived from the job's (member 0 of a job seeded 42 has this one); "
                                     + "a string, like the job's", type = "string", format = "int64", pattern = TrainingConfig.SEED_PATTERN,
                                     example = "541443718512448028")
                             @JsonFormat(shape = JsonFormat.Shape.STRING) long seed,
                             double partialLoss, @Nullable EpochMetrics metrics, Instant createdAt) {

    public boolean atEpochBoundary() {
        return step == 0;
    }
}
