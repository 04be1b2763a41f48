package dev.cnnensemble.training;

/**
 * Where a call to {@link TrainingEngine#train} picks up: {@code firstEpoch} is the first epoch it
 * trains, and {@code completedSteps} counts the steps of all members already in checkpoints, so a
 * resumed run shows that no finished epoch is trained again.
 */
public record TrainingStart(int firstEpoch, long completedSteps, long totalSteps) {

    public boolean resumed() {
        return completedSteps > 0;
    }
}
