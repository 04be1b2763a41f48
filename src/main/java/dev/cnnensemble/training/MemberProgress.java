package dev.cnnensemble.training;

/**
 * A snapshot of a training member, after a step.
 *
 * @param epoch            1-based epoch being trained
 * @param step             1-based step within that epoch
 * @param completedWork    units of {@link Work} done, evaluations of finished epochs included
 * @param samplesPerSecond training images per second of optimiser time in this epoch so far: the
 *                         figure the epoch's history row will show
 */
public record MemberProgress(int epoch, int step, long completedSteps, long completedWork, double samplesPerSecond) {
}
