package dev.cnnensemble.training;

/**
 * A member's work in units of one optimiser step, evaluation included, so that progress and the time
 * left stay honest across the pause after each epoch: an epoch is {@code stepsPerEpoch} steps plus
 * {@code evaluationPerEpoch} units, a forward pass over the evaluation sets counted at a third of a
 * training step per image.
 */
public record Work(int stepsPerEpoch, int evaluationPerEpoch, int epochs) {

    public static Work of(int trainImages, int evaluationImages, int batchSize, int epochs) {
        int steps = (trainImages + batchSize - 1) / batchSize;
        int evaluation = (int) Math.ceil(evaluationImages / (3.0 * batchSize));
        return new Work(steps, evaluation, epochs);
    }

    public long perEpoch() {
        return stepsPerEpoch + evaluationPerEpoch;
    }

    public long total() {
        return perEpoch() * epochs;
    }

    public long totalSteps() {
        return (long) stepsPerEpoch * epochs;
    }

    /** Units done after {@code completedEpochs} whole epochs and {@code steps} steps of the next. */
    public long done(int completedEpochs, int steps) {
        return perEpoch() * completedEpochs + steps;
    }
}
