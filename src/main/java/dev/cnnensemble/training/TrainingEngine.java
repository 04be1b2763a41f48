package dev.cnnensemble.training;

import java.util.List;

/**
 * The one door to the DL4J training code. Callers hand in a run and get figures back; no ND4J
 * type crosses it, so the jobs layer can be tested with a stand-in.
 */
public interface TrainingEngine {

    /**
     * Trains the run to its last epoch, continuing from its checkpoints if it has any. Returns early,
     * with a checkpoint at the current step, when {@link TrainingRun#stopRequested()} turns true.
     */
    TrainingOutcome train(TrainingRun run, ProgressListener listener);

    /** The checkpoints a run has kept, oldest first. */
    List<CheckpointInfo> checkpoints(String runId, int ensembleSize);

    /** The per-epoch reports of a run, as far as it got. */
    List<EpochReport> history(String runId);

    /** Removes a run's files. */
    void delete(String runId);

    /** The compute devices of the backend: GPUs on CUDA, 1 for the CPU. */
    int devices();

    /** Binds the calling thread to a device, so that the networks it trains live there. */
    void bindCurrentThread(int device);
}
