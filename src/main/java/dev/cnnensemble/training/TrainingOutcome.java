package dev.cnnensemble.training;

import dev.cnnensemble.model.NetworkSummary;

import java.util.List;

/**
 * How a call to {@link TrainingEngine#train} ended.
 *
 * @param completed false when it stopped on request before the last epoch
 */
public record TrainingOutcome(boolean completed, int epochsCompleted, List<EpochReport> history,
                              List<CheckpointInfo> checkpoints, NetworkSummary summary) {

    public EpochReport last() {
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }
}
