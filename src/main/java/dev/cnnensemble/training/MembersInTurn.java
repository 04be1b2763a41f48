package dev.cnnensemble.training;

import dev.cnnensemble.model.NetworkSummary;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Trains a run's members one after another on the calling thread, as a single worker would, and
 * puts their epochs together into the ensemble's history. For the command-line trainer and the
 * benchmarks; the service's jobs train members as separate tasks.
 */
public final class MembersInTurn {

    private MembersInTurn() {
    }

    /** What the run produced: the ensemble's history, and the members' shared architecture. */
    public record Outcome(List<EpochReport> history, @Nullable NetworkSummary summary) {

        public @Nullable EpochReport last() {
            return history.isEmpty() ? null : history.get(history.size() - 1);
        }
    }

    public static Outcome train(TrainingEngine engine, String runId, TrainingConfig config, MemberListener listener) {
        List<List<MemberEpoch>> members = new ArrayList<>();
        @Nullable NetworkSummary summary = null;
        for (int m = 0; m < config.ensembleSize(); m++) {
            MemberOutcome outcome = engine.train(new MemberRun(runId, config, m), listener);
            members.add(outcome.history());
            summary = outcome.summary();
        }
        List<EpochReport> history = new ArrayList<>();
        for (int e = 0; e < config.epochs(); e++) {
            int index = e;
            List<MemberEpoch> epoch = members.stream().map(h -> h.get(index)).toList();
            history.add(EpochReport.of(epoch, engine.ensemble(runId, config, e + 1, epoch.stream().map(MemberEpoch::metrics).toList())));
        }
        return new Outcome(history, summary);
    }
}
