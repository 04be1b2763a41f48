package dev.cnnensemble.training;

import java.time.Duration;
import java.util.List;

/**
 * What one epoch produced: each member's metrics and the ensemble's (averaged logits).
 *
 * @param trainingTime     time spent in optimiser steps, all members together (evaluation excluded)
 * @param samplesPerSecond training images per second over that time
 */
public record EpochReport(int epoch, List<EpochMetrics> members, EpochMetrics ensemble, double learningRate,
                          Duration trainingTime, double samplesPerSecond) {
}
