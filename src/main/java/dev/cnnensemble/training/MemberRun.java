package dev.cnnensemble.training;

import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * One member of a run: the run's identity (its checkpoint folder) and configuration, which member,
 * how to ask it to stop, and how many CPU threads its next step may use (read before every step, so
 * that a member left alone can take the cores its finished siblings gave back).
 */
public record MemberRun(String runId, TrainingConfig config, int member, BooleanSupplier stopRequested, IntSupplier threads) {

    public MemberRun {
        if (runId == null || !runId.matches("[A-Za-z0-9._-]{1,100}") || runId.startsWith(".")) {
            throw new IllegalArgumentException("runId must be 1-100 letters, digits, '.', '_' or '-', not starting with '.'");
        }
        config = config.withDefaults();
        if (member < 0 || member >= config.ensembleSize()) {
            throw new IllegalArgumentException("member must be 0.." + (config.ensembleSize() - 1));
        }
    }

    /** Runs to the end on the threads the backend chooses. */
    public MemberRun(String runId, TrainingConfig config, int member) {
        this(runId, config, member, () -> false, () -> 0);
    }
}
