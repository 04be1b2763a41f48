package dev.cnnensemble.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An interrupted run, resumed from its checkpoints, ends where an uninterrupted one does. Tolerance:
 * oneDNN's kernels on a fixed thread count are deterministic here, so the figures agree to 1e-6;
 * the test allows 1e-4 on the loss in case a reduction order differs on another CPU.
 */
class ResumeTest {

    private static final TrainingConfig CONFIG = TrainingFixtures.slice(2000, 500).epochs(2).ensembleSize(2)
            .lrDecay(new TrainingConfig.LearningRateDecay(0.5, 15, true)).build();

    @TempDir
    Path dataDir;

    @Test
    void cancelledMidEpochAndResumedMatchesAnUninterruptedRun() {
        EnsembleTrainer trainer = TrainingFixtures.trainer(dataDir);
        TrainingOutcome reference = trainer.train(new TrainingRun("straight", CONFIG), ProgressListener.NONE);

        // Stop 7 steps into member 1's second epoch: a mid-epoch checkpoint, member 0 an epoch ahead.
        AtomicInteger steps = new AtomicInteger();
        ProgressListener counter = new ProgressListener() {
            @Override
            public void onStep(TrainingProgress progress) {
                steps.incrementAndGet();
            }
        };
        int stopAfter = 20 + 20 + 20 + 7;
        TrainingOutcome first = trainer.train(new TrainingRun("interrupted", CONFIG, () -> steps.get() >= stopAfter), counter);
        assertThat(first.completed()).isFalse();
        assertThat(first.checkpoints()).extracting(CheckpointInfo::file).contains("epoch-1-step-7.zip");

        TrainingOutcome resumed = trainer.train(new TrainingRun("interrupted", CONFIG), counter);

        assertThat(resumed.completed()).isTrue();
        assertThat(steps.get()).as("no step is trained twice").isEqualTo(2 * 2 * 20);
        assertSameResult(resumed, reference);
    }

    @Test
    void crashWithoutACheckpointResumesFromTheLastEpoch() {
        EnsembleTrainer trainer = TrainingFixtures.trainer(dataDir);
        TrainingOutcome reference = trainer.train(new TrainingRun("straight", CONFIG), ProgressListener.NONE);

        // A crash in the middle of epoch 2: nothing is written, epoch 1's checkpoints remain.
        ProgressListener crash = new ProgressListener() {
            @Override
            public void onStep(TrainingProgress progress) {
                if (progress.epoch() == 2 && progress.step() == 5) {
                    throw new IllegalStateException("simulated crash");
                }
            }
        };
        assertThatThrownBy(() -> trainer.train(new TrainingRun("crashed", CONFIG), crash)).hasMessage("simulated crash");

        TrainingOutcome resumed = trainer.train(new TrainingRun("crashed", CONFIG), ProgressListener.NONE);

        assertThat(resumed.history()).extracting(EpochReport::epoch).containsExactly(1, 2);
        assertSameResult(resumed, reference);
    }

    private static void assertSameResult(TrainingOutcome actual, TrainingOutcome expected) {
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
        assertThat(actual.checkpoints()).extracting(CheckpointInfo::iteration)
                .containsExactlyElementsOf(expected.checkpoints().stream().map(CheckpointInfo::iteration).toList());
    }
}
