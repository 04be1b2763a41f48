package dev.cnnensemble.training;

import java.util.List;

/**
 * The one door to the training code, one member at a time. Callers hand in a member's run and get
 * figures back; no engine type crosses it, so the jobs layer can be tested with a stand-in.
 */
public interface TrainingEngine {

    /**
     * Trains one member to the run's last epoch, continuing from its checkpoints if it has any, and
     * keeps its logits on the evaluation sets after every epoch. Returns early, with a checkpoint at
     * the current step, when {@link MemberRun#stopRequested()} turns true.
     */
    MemberOutcome train(MemberRun run, MemberListener listener);

    /**
     * The ensemble's figures after {@code epoch}: the accuracies of the members' averaged logits, as
     * every member kept them, and the members' mean loss.
     */
    EpochMetrics ensemble(String runId, TrainingConfig config, int epoch, List<EpochMetrics> members);

    /** The checkpoints a run has kept, oldest first. */
    List<CheckpointInfo> checkpoints(String runId, int ensembleSize);

    /** Removes a run's files. */
    void delete(String runId);
}
