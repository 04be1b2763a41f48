package dev.cnnensemble.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnensemble.model.Architecture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnsembleTrainerTest {

    @TempDir
    Path dataDir;

    /** One epoch (60 steps of batch 100) reaches only 92-93% here, so the test trains three. */
    @Test
    void threeEpochsOnSixThousandRealImagesExceedNinetyFivePercentOnAThousandTestImages() {
        EnsembleTrainer trainer = TrainingFixtures.trainer(dataDir);
        List<TrainingProgress> steps = new ArrayList<>();
        List<EpochReport> epochs = new ArrayList<>();
        ProgressListener listener = new ProgressListener() {
            @Override
            public void onStep(TrainingProgress progress) {
                steps.add(progress);
            }

            @Override
            public void onEpoch(EpochReport report) {
                epochs.add(report);
            }
        };

        TrainingOutcome outcome = trainer.train(new TrainingRun("quick", TrainingFixtures.slice(6000, 1000).epochs(3).build()), listener);

        assertThat(outcome.completed()).isTrue();
        assertThat(outcome.summary().totalParameters()).isEqualTo(619_786);
        EpochReport report = outcome.last();
        assertThat(report.ensemble().testAccuracy()).isGreaterThan(0.95);
        assertThat(report.members()).hasSize(1);
        assertThat(report.members().get(0).loss()).isBetween(0.01, 0.3);
        assertThat(outcome.history()).extracting(r -> r.ensemble().loss()).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(report.ensemble().trainAccuracy()).isGreaterThan(0.9);
        assertThat(report.samplesPerSecond()).isPositive();
        assertThat(epochs).containsExactlyElementsOf(outcome.history());
        assertThat(steps).hasSize(180);
        assertThat(steps.get(179).percent()).isEqualTo(100.0);
        assertThat(steps.get(179).samplesPerSecond()).isPositive();
        assertThat(steps.get(90).percent()).isCloseTo(50.56, org.assertj.core.data.Offset.offset(0.01));
        assertThat(steps.get(90).eta()).isPositive();
        assertThat(dataDir.resolve("jobs/quick/member-0/epoch-3.zip")).exists();
        assertThat(dataDir.resolve("jobs/quick/member-0/best.zip")).exists();
        assertThat(outcome.checkpoints()).extracting(CheckpointInfo::epoch).containsExactly(1, 2, 3);
        assertThat(outcome.checkpoints()).extracting(CheckpointInfo::iteration).containsExactly(60, 120, 180);
    }

    @Test
    void augmentedEnsembleWithAValidationSplitReportsEachMemberAndTheEnsemble() {
        TrainingConfig config = TrainingFixtures.slice(1000, 300).ensembleSize(2).epochs(1).validationSplit(0.2)
                .augmentation(TrainingConfig.Augmentation.tutorial()).lrDecay(TrainingConfig.LearningRateDecay.tutorial()).build();
        List<TrainingProgress> steps = new ArrayList<>();
        ProgressListener listener = new ProgressListener() {
            @Override
            public void onStep(TrainingProgress progress) {
                steps.add(progress);
            }
        };

        TrainingOutcome outcome = TrainingFixtures.trainer(dataDir).train(new TrainingRun("augmented", config), listener);

        // 800 images stay for fitting, 200 are held out; 5 images each (original + 4 copies): 40 steps per member.
        assertThat(steps).hasSize(80);
        assertThat(steps).extracting(TrainingProgress::member).containsOnly(0, 1);
        assertThat(steps.get(79).totalSteps()).isEqualTo(80);
        EpochReport report = outcome.last();
        assertThat(report.members()).hasSize(2).allSatisfy(m -> {
            assertThat(m.validationAccuracy()).isNotNull().isGreaterThan(0.5);
            assertThat(m.testAccuracy()).isGreaterThan(0.5);
        });
        assertThat(report.ensemble().validationAccuracy()).isNotNull().isGreaterThan(0.5);
        assertThat(report.members().get(0).testAccuracy()).isNotEqualTo(report.members().get(1).testAccuracy());
        assertThat(outcome.checkpoints()).extracting(CheckpointInfo::member).containsExactly(0, 1);
        assertThat(Files.exists(dataDir.resolve("jobs/augmented/history.json"))).isTrue();
    }

    /**
     * Batch norm in inference mode, on its running statistics. With Keras' momentum 0.99 they are
     * still mostly their initial 0 and 1 after a few hundred steps and every image gets one class,
     * so this short run uses 0.9 (PyTorch's default).
     */
    @Test
    void batchNormVariantPredictsOnItsRunningStatistics() {
        TrainingConfig config = TrainingFixtures.slice(6000, 1000).architecture(Architecture.CNN_BN).batchNormMomentum(0.9).epochs(2).build();

        TrainingOutcome outcome = TrainingFixtures.trainer(dataDir).train(new TrainingRun("bn", config), ProgressListener.NONE);

        assertThat(outcome.summary().architecture()).isEqualTo(Architecture.CNN_BN);
        assertThat(outcome.last().ensemble().testAccuracy()).isGreaterThan(0.95);
    }
}
