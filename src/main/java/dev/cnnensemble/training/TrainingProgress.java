package dev.cnnensemble.training;

import java.time.Duration;

/**
 * A snapshot of a running training. Members train epoch by epoch in turn, so progress counts every
 * member's steps: {@code completedSteps / totalSteps}.
 *
 * @param member           0-based member being trained
 * @param epoch            1-based epoch being trained
 * @param step             1-based step within that epoch
 * @param samplesPerSecond training throughput over the recent steps
 * @param eta              remaining time at that throughput, or null before it is known
 */
public record TrainingProgress(int member, int ensembleSize, int epoch, int epochs, int step, int stepsPerEpoch,
                               long completedSteps, long totalSteps, double samplesPerSecond, Duration eta) {

    public double percent() {
        return totalSteps == 0 ? 100 : 100.0 * completedSteps / totalSteps;
    }
}
