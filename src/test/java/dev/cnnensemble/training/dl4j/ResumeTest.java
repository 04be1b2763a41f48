package dev.cnnensemble.training.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cnnensemble.dataset.RequiresMnist;
import dev.cnnensemble.training.CheckpointInfo;
import dev.cnnensemble.training.EpochReport;
import dev.cnnensemble.training.MemberListener;
import dev.cnnensemble.training.MemberOutcome;
import dev.cnnensemble.training.MemberProgress;
import dev.cnnensemble.training.MemberRun;
import dev.cnnensemble.training.MemberStart;
import dev.cnnensemble.training.MembersInTurn;
import dev.cnnensemble.training.TrainingConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An interrupted member, resumed from its checkpoints, ends where an uninterrupted one does.
 * Tolerance: oneDNN's kernels on a fixed thread count are deterministic here, so the figures agree
 * to 1e-6; the test allows 1e-4 on the loss in case a reduction order differs on another CPU.
 */
@RequiresMnist
class ResumeTest {

    private static final TrainingConfig CONFIG = TrainingFixtures.slice(2000, 500).epochs(2).ensembleSize(2)
            .lrDecay(new TrainingConfig.LearningRateDecay(0.5, 15, true)).build();

    @TempDir
    Path dataDir;

    @Test
    void cancelledMidEpochAndResumedMatchesAnUninterruptedRun() {
        Dl4jTrainingEngine engine = TrainingFixtures.trainer(dataDir);
        MembersInTurn.Outcome reference = MembersInTurn.train(engine, "straight", CONFIG, MemberListener.NONE);

        // Stop member 0 seven steps into its second epoch: a mid-epoch checkpoint.
        AtomicInteger steps = new AtomicInteger();
        MemberListener counter = new MemberListener() {
            @Override
            public void onStep(MemberProgress progress) {
                steps.incrementAndGet();
            }
        };
        MemberOutcome first = engine.train(new MemberRun("interrupted", CONFIG, 0, () -> steps.get() >= 20 + 7, () -> 0), counter);
        assertThat(first.completed()).isFalse();
        assertThat(engine.checkpoints("interrupted", 2)).extracting(CheckpointInfo::file).contains("epoch-1-step-7.zip");

        MembersInTurn.Outcome resumed = MembersInTurn.train(engine, "interrupted", CONFIG, counter);

        assertThat(steps.get()).as("no step is trained twice").isEqualTo(2 * 2 * 20);
        assertSameResult(resumed, reference);
        assertThat(engine.checkpoints("interrupted", 2)).extracting(CheckpointInfo::iteration)
                .containsExactlyElementsOf(engine.checkpoints("straight", 2).stream().map(CheckpointInfo::iteration).toList());
    }

    @Test
    void crashWithoutACheckpointResumesFromTheLastEpochAndReportsTheEpochsItHolds() {
        Dl4jTrainingEngine engine = TrainingFixtures.trainer(dataDir);
        MembersInTurn.Outcome reference = MembersInTurn.train(engine, "straight", CONFIG, MemberListener.NONE);

        // A crash in the middle of epoch 2: nothing is written, epoch 1's checkpoint remains.
        MemberListener crash = new MemberListener() {
            @Override
            public void onStep(MemberProgress progress) {
                if (progress.epoch() == 2 && progress.step() == 5) {
                    throw new IllegalStateException("simulated crash");
                }
            }
        };
        assertThatThrownBy(() -> engine.train(new MemberRun("crashed", CONFIG, 0), crash)).hasMessage("simulated crash");

        MemberStart[] start = new MemberStart[1];
        MembersInTurn.Outcome resumed = MembersInTurn.train(engine, "crashed", CONFIG, new MemberListener() {
            @Override
            public void onStart(MemberStart s) {
                if (start[0] == null) {
                    start[0] = s;
                }
            }
        });

        assertThat(start[0].firstEpoch()).isEqualTo(2);
        assertThat(start[0].completedSteps()).isEqualTo(20);
        assertThat(start[0].completedEpochs()).extracting(e -> e.epoch()).containsExactly(1);
        assertThat(resumed.history()).extracting(EpochReport::epoch).containsExactly(1, 2);
        assertSameResult(resumed, reference);
    }

    private static void assertSameResult(MembersInTurn.Outcome actual, MembersInTurn.Outcome expected) {
        List<EpochReport> a = actual.history();
        List<EpochReport> e = expected.history();
        assertThat(a).hasSameSizeAs(e);
        for (int i = 0; i < e.size(); i++) {
            for (int m = 0; m < 2; m++) {
                assertThat(a.get(i).members().get(m).loss()).isCloseTo(e.get(i).members().get(m).loss(), within(1e-4));
                assertThat(a.get(i).members().get(m).testAccuracy()).isCloseTo(e.get(i).members().get(m).testAccuracy(), within(1e-9));
            }
            assertThat(a.get(i).ensemble().testAccuracy()).isEqualTo(e.get(i).ensemble().testAccuracy());
            assertThat(a.get(i).learningRate()).isEqualTo(e.get(i).learningRate());
        }
    }
}
