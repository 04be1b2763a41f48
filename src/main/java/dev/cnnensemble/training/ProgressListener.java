package dev.cnnensemble.training;

/** Receives training events on the training thread; implementations must return quickly. */
public interface ProgressListener {

    ProgressListener NONE = new ProgressListener() {
    };

    default void onStart(TrainingStart start) {
    }

    default void onStep(TrainingProgress progress) {
    }

    default void onEpoch(EpochReport report) {
    }
}
