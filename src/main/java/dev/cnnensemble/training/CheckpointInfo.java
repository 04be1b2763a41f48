package dev.cnnensemble.training;

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
                             double learningRate, long seed, double partialLoss, @Nullable EpochMetrics metrics, Instant createdAt) {

    public boolean atEpochBoundary() {
        return step == 0;
    }
}
