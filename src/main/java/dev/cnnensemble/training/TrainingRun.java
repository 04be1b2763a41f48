package dev.cnnensemble.training;

import java.util.function.BooleanSupplier;

/** A run's identity (its checkpoint folder), its configuration and how to ask it to stop. */
public record TrainingRun(String runId, TrainingConfig config, BooleanSupplier stopRequested) {

    public TrainingRun {
        if (runId == null || !runId.matches("[A-Za-z0-9._-]{1,100}") || runId.startsWith(".")) {
            throw new IllegalArgumentException("runId must be 1-100 letters, digits, '.', '_' or '-', not starting with '.'");
        }
        config = config.withDefaults();
    }

    public TrainingRun(String runId, TrainingConfig config) {
        this(runId, config, () -> false);
    }
}
