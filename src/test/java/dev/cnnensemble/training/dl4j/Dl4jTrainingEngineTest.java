package dev.cnnensemble.training.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cnnensemble.dataset.RequiresMnist;
import dev.cnnensemble.model.Architecture;
import dev.cnnensemble.training.CheckpointInfo;
import dev.cnnensemble.training.EpochReport;
import dev.cnnensemble.training.MemberEpoch;
import dev.cnnensemble.training.MemberListener;
import dev.cnnensemble.training.MemberOutcome;
import dev.cnnensemble.training.MemberProgress;
import dev.cnnensemble.training.MemberRun;
import dev.cnnensemble.training.MemberStart;
import dev.cnnensemble.training.MembersInTurn;
import dev.cnnensemble.training.TrainingConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresMnist
class Dl4jTrainingEngineTest {

    @TempDir
    Path dataDir;

    /** One epoch (60 steps of batch 100) reaches only 92-93% here, so the test trains three. */
    @Test
    void threeEpochsOnSixThousandRealImagesExceedNinetyFivePercentOnAThousandTestImages() {
        Dl4jTrainingEngine engine = TrainingFixtures.trainer(dataDir);
        List<MemberProgress> steps = new ArrayList<>();
        List<MemberEpoch> epochs = new ArrayList<>();
        List<MemberStart> starts = new ArrayList<>();
        MemberListener listener = new MemberListener() {
            @Override
            public void onStart(MemberStart start) {
                starts.add(start);
            }

            @Override
            public void onStep(MemberProgress progress) {
                steps.add(progress);
            }

            @Override
            public void onEpoch(MemberEpoch epoch) {
                epochs.add(epoch);
            }
        };

        MemberOutcome outcome = engine.train(new MemberRun("quick", TrainingFixtures.slice(6000, 1000).epochs(3).build(), 0), listener);

        assertThat(outcome.completed()).isTrue();
        assertThat(outcome.summary().totalParameters()).isEqualTo(619_786);
        MemberEpoch last = outcome.history().get(2);
        assertThat(last.metrics().testAccuracy()).isGreaterThan(0.95);
        assertThat(last.metrics().loss()).isBetween(0.01, 0.3);
        assertThat(outcome.history()).extracting(e -> e.metrics().loss()).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(last.metrics().trainAccuracy()).isGreaterThan(0.9);
        assertThat(last.samplesPerSecond()).isPositive();
        assertThat(epochs).containsExactlyElementsOf(outcome.history());
        // 60 steps per epoch, and 2,000 evaluation images at a third of a step per image of a batch of 100: 7 units.
        assertThat(starts).singleElement().satisfies(s -> {
            assertThat(s.firstEpoch()).isEqualTo(1);
            assertThat(s.work().stepsPerEpoch()).isEqualTo(60);
            assertThat(s.work().evaluationPerEpoch()).isEqualTo(7);
        });
        assertThat(steps).hasSize(180);
        assertThat(steps.get(179).completedSteps()).isEqualTo(180);
        assertThat(steps.get(90).completedWork()).as("epoch 1's evaluation counts").isEqualTo(67 + 31);
        assertThat(steps.get(179).samplesPerSecond()).as("the history row's figure, step time only")
                .isCloseTo(last.samplesPerSecond(), within(last.samplesPerSecond() * 0.01));
        assertThat(dataDir.resolve("jobs/quick/member-0/epoch-3.zip")).exists();
        assertThat(dataDir.resolve("jobs/quick/member-0/best.zip")).exists();
        assertThat(dataDir.resolve("jobs/quick/member-0/logits-3.bin")).exists();
        assertThat(engine.checkpoints("quick", 1)).extracting(CheckpointInfo::epoch).containsExactly(1, 2, 3);
        assertThat(engine.checkpoints("quick", 1)).extracting(CheckpointInfo::iteration).containsExactly(60, 120, 180);
    }

    @Test
    void augmentedEnsembleWithAValidationSplitReportsEachMemberAndTheEnsemble() {
        TrainingConfig config = TrainingFixtures.slice(1000, 300).ensembleSize(2).epochs(1).validationSplit(0.2)
                .augmentation(TrainingConfig.Augmentation.tutorial()).lrDecay(TrainingConfig.LearningRateDecay.tutorial()).build();
        List<MemberProgress> steps = new ArrayList<>();
        MemberListener listener = new MemberListener() {
            @Override
            public void onStep(MemberProgress progress) {
                steps.add(progress);
            }
        };

        MembersInTurn.Outcome outcome = MembersInTurn.train(TrainingFixtures.trainer(dataDir), "augmented", config, listener);

        // 800 images stay for fitting, 200 are held out; 5 images each (original + 4 copies): 40 steps per member.
        assertThat(steps).hasSize(80);
        EpochReport report = outcome.last();
        assertThat(report.members()).hasSize(2).allSatisfy(m -> {
            assertThat(m.validationAccuracy()).isNotNull().isGreaterThan(0.5);
            assertThat(m.testAccuracy()).isGreaterThan(0.5);
        });
        assertThat(report.ensemble().validationAccuracy()).isNotNull().isGreaterThan(0.5);
        assertThat(report.members().get(0).testAccuracy()).isNotEqualTo(report.members().get(1).testAccuracy());
        assertThat(TrainingFixtures.trainer(dataDir).checkpoints("augmented", 2)).extracting(CheckpointInfo::member).containsExactly(0, 1);
        assertThat(Files.exists(dataDir.resolve("jobs/augmented/member-1/history.json"))).isTrue();
    }

    /**
     * Members trained side by side, each on one thread, give exactly the figures of the same members
     * trained one after another on one thread: a member's path depends on its seeds alone.
     */
    @Test
    void membersTrainedSideBySideMatchMembersTrainedInTurn() {
        TrainingConfig config = TrainingFixtures.slice(2000, 500).ensembleSize(2).epochs(2).build();
        Dl4jTrainingEngine engine = TrainingFixtures.trainer(dataDir);
        List<MemberOutcome> inTurn = List.of(engine.train(oneThread("in-turn", config, 0), MemberListener.NONE),
                engine.train(oneThread("in-turn", config, 1), MemberListener.NONE));

        List<MemberOutcome> sideBySide = List.of(0, 1).stream()
                .map(m -> CompletableFuture.supplyAsync(() -> engine.train(oneThread("side-by-side", config, m), MemberListener.NONE)))
                .toList().stream().map(CompletableFuture::join).toList();

        for (int m = 0; m < 2; m++) {
            for (int e = 0; e < 2; e++) {
                MemberEpoch expected = inTurn.get(m).history().get(e);
                MemberEpoch actual = sideBySide.get(m).history().get(e);
                assertThat(actual.metrics().testAccuracy()).isEqualTo(expected.metrics().testAccuracy());
                assertThat(actual.metrics().trainAccuracy()).isEqualTo(expected.metrics().trainAccuracy());
                assertThat(actual.metrics().loss()).isCloseTo(expected.metrics().loss(), within(1e-4));
            }
        }
        assertThat(engine.ensemble("side-by-side", config, 2, List.of(sideBySide.get(0).history().get(1).metrics(),
                sideBySide.get(1).history().get(1).metrics())))
                .isEqualTo(engine.ensemble("in-turn", config, 2, List.of(inTurn.get(0).history().get(1).metrics(),
                        inTurn.get(1).history().get(1).metrics())));
    }

    private static MemberRun oneThread(String runId, TrainingConfig config, int member) {
        return new MemberRun(runId, config, member, () -> false, () -> 1);
    }

    /** At Keras' momentum of 0.99 the running averages of 120 steps are useless; precise batch norm replaces them. */
    @Test
    void batchNormVariantPredictsOnItsRunningStatistics() {
        TrainingConfig config = TrainingFixtures.slice(6000, 1000).architecture(Architecture.CNN_BN).epochs(2).build();

        MemberOutcome outcome = TrainingFixtures.trainer(dataDir).train(new MemberRun("bn", config, 0), MemberListener.NONE);

        assertThat(outcome.summary().architecture()).isEqualTo(Architecture.CNN_BN);
        assertThat(outcome.history().get(1).metrics().testAccuracy()).isGreaterThan(0.95);
    }
}
