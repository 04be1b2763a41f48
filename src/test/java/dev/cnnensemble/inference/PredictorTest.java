package dev.cnnensemble.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import dev.cnnensemble.dataset.DatasetCatalog;
import dev.cnnensemble.dataset.RealData;
import dev.cnnensemble.dataset.RequiresMnist;
import dev.cnnensemble.imaging.Images;
import dev.cnnensemble.imaging.Preprocessing.Invert;
import dev.cnnensemble.inference.InferenceExceptions.Overloaded;
import dev.cnnensemble.model.Architecture;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * Below HTTP: every prediction names its class in the model's dataset; a busy model refuses at once, and a stuck one
 * times out, both with Retry-After.
 */
@RequiresMnist
class PredictorTest {

    private static final ImageInput DIGIT = new ImageInput.Encoded("seven.png", Images.png(Images.gray(RealData.mnist().test(), 0)));
    private static final Predictor.Options OPTIONS = new Predictor.Options(Invert.AUTO, false, false, false, null);

    private record Setup(Predictor predictor, MicroBatcher batcher, UncertaintyThresholds thresholds) {
    }

    private static Setup setup(MicroBatcherTest.TracingEnsemble ensemble, int maxQueuedImages, Duration timeout) {
        InferenceProperties.Batching batching = new InferenceProperties.Batching(256, Duration.ZERO, maxQueuedImages, timeout, Duration.ofSeconds(2));
        InferenceProperties properties = new InferenceProperties(1024, DataSize.ofMegabytes(32), DataSize.ofMegabytes(8), 1 << 24, false, batching, DataSize.ofMegabytes(512), 1, 99, InferenceProperties.Engine.ONNX);
        MicroBatcher batcher = new MicroBatcher("m", ensemble, batching, new SimpleMeterRegistry());
        ModelRegistry registry = mock(ModelRegistry.class);
        given(registry.serving(null)).willReturn(new ModelCache.Serving(
                new ModelDescriptor("3f0e4e4c-8a5e-4c43-9d59-0c1f3a4f2b7e", Architecture.CNN, 2, DatasetCatalog.FASHION_MNIST,
                        new DatasetCatalog().get(DatasetCatalog.FASHION_MNIST).classNames()), "v1", 15, batcher, 1));
        UncertaintyThresholds thresholds = mock(UncertaintyThresholds.class);
        given(thresholds.of(any())).willReturn(Optional.empty());
        return new Setup(new Predictor(registry, properties, thresholds), batcher, thresholds);
    }

    @Test
    void aPredictionNamesItsClassAndTheModelItsDataset() {
        MicroBatcherTest.TracingEnsemble ensemble = new MicroBatcherTest.TracingEnsemble();
        ensemble.release.countDown();

        Prediction prediction = setup(ensemble, 4096, Duration.ofSeconds(30)).predictor().predict(List.of(DIGIT), OPTIONS);

        assertThat(prediction.model().dataset()).isEqualTo("fashion-mnist");
        // The stand-in's members cancel out: every logit averages to 0, and the first class wins.
        assertThat(prediction.predictions().get(0).label()).isZero();
        assertThat(prediction.predictions().get(0).className()).isEqualTo("T-shirt/top");
    }

    @Test
    void aPredictionAboveItsModelsEntropyThresholdIsFlaggedUncertain() {
        MicroBatcherTest.TracingEnsemble ensemble = new MicroBatcherTest.TracingEnsemble();
        ensemble.release.countDown();
        Setup setup = setup(ensemble, 4096, Duration.ofSeconds(30));
        Prediction.ImagePrediction unknown = setup.predictor().predict(List.of(DIGIT), OPTIONS).predictions().get(0);
        given(setup.thresholds().of(any())).willReturn(Optional.of(new UncertaintyThresholds.Limits(0.5, null)));

        Prediction.ImagePrediction flagged = setup.predictor().predict(List.of(DIGIT), OPTIONS).predictions().get(0);

        // The stand-in's members cancel out: a uniform softmax, the largest entropy there is.
        assertThat(flagged.entropy()).isCloseTo(Math.log(10), within(1e-6));
        assertThat(flagged.uncertain()).isTrue();
        assertThat(unknown.uncertain()).as("no threshold yet").isNull();
    }

    @Test
    void aPredictionWhoseInkCoverageIsOutsideItsModelsRangeIsFlaggedUncertainHoweverLowItsEntropy() {
        MicroBatcherTest.TracingEnsemble ensemble = new MicroBatcherTest.TracingEnsemble();
        ensemble.release.countDown();
        Setup setup = setup(ensemble, 4096, Duration.ofSeconds(30));
        byte[] digit = RealData.mnist().test().range(0, 1).pixels();
        int covered = 0;
        for (byte pixel : digit) {
            covered += Byte.toUnsignedInt(pixel) / 255f > 0.1f ? 1 : 0;
        }
        double coverage = covered / 784.0;
        double anyEntropy = Double.POSITIVE_INFINITY;

        given(setup.thresholds().of(any())).willReturn(Optional.of(
                new UncertaintyThresholds.Limits(anyEntropy, new InkCoverage.Range(coverage, coverage))));
        Prediction.ImagePrediction inside = setup.predictor().predict(List.of(DIGIT), OPTIONS).predictions().get(0);
        given(setup.thresholds().of(any())).willReturn(Optional.of(
                new UncertaintyThresholds.Limits(anyEntropy, new InkCoverage.Range(coverage + 0.01, 1))));
        Prediction.ImagePrediction outside = setup.predictor().predict(List.of(DIGIT), OPTIONS).predictions().get(0);

        assertThat(inside.inkCoverage()).isEqualTo(coverage);
        assertThat(coverage).as("a real digit covers a small part of the frame").isBetween(0.05, 0.35);
        assertThat(inside.uncertain()).isFalse();
        assertThat(outside.uncertain()).isTrue();
    }

    @Test
    void onRequestAPredictionCarriesTheImageTheModelSaw() {
        MicroBatcherTest.TracingEnsemble ensemble = new MicroBatcherTest.TracingEnsemble();
        ensemble.release.countDown();
        Predictor predictor = setup(ensemble, 4096, Duration.ofSeconds(30)).predictor();

        Prediction.ImagePrediction withPixels = predictor.predict(List.of(DIGIT), new Predictor.Options(Invert.AUTO, false, false, true, null))
                .predictions().get(0);

        byte[] digit = RealData.mnist().test().range(0, 1).pixels();
        assertThat(withPixels.pixels()).hasDimensions(28, 28);
        for (int p = 0; p < digit.length; p++) {
            assertThat(withPixels.pixels()[p / 28][p % 28]).as("pixel %d", p).isEqualTo(Byte.toUnsignedInt(digit[p]) / 255f);
        }
        assertThat(predictor.predict(List.of(DIGIT), OPTIONS).predictions().get(0).pixels()).as("only on request").isNull();
    }

    @Test
    void aFullQueueRefusesTheNextRequestAtOnceAndTheQueuedOnesStillSucceed() throws Exception {
        MicroBatcherTest.TracingEnsemble ensemble = new MicroBatcherTest.TracingEnsemble();
        Setup setup = setup(ensemble, 1, Duration.ofSeconds(30));
        Predictor predictor = setup.predictor();

        CompletableFuture<Prediction> running = CompletableFuture.supplyAsync(() -> predictor.predict(List.of(DIGIT), OPTIONS));
        assertThat(ensemble.firstPassStarted.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Prediction> queued = CompletableFuture.supplyAsync(() -> predictor.predict(List.of(DIGIT), OPTIONS));
        awaitQueued(setup.batcher());

        assertThatThrownBy(() -> predictor.predict(List.of(DIGIT), OPTIONS))
                .isInstanceOf(Overloaded.class).hasMessageContaining("max-queued-images")
                .extracting(e -> ((Overloaded) e).retryAfterSeconds()).isEqualTo(2L);

        ensemble.release.countDown();
        assertThat(running.get(10, TimeUnit.SECONDS).predictions()).hasSize(1);
        assertThat(queued.get(10, TimeUnit.SECONDS).model().version()).isEqualTo("v1");
    }

    @Test
    void aRequestThatWaitsPastTheTimeoutGets503InsteadOfHanging() {
        MicroBatcherTest.TracingEnsemble ensemble = new MicroBatcherTest.TracingEnsemble();
        Predictor predictor = setup(ensemble, 4096, Duration.ofMillis(300)).predictor();

        assertThatThrownBy(() -> predictor.predict(List.of(DIGIT), OPTIONS))
                .isInstanceOf(Overloaded.class).hasMessageContaining("no result within");
        ensemble.release.countDown();
    }

    /** Waits until the second request is in the batcher's queue. */
    private static void awaitQueued(MicroBatcher batcher) throws InterruptedException {
        for (int i = 0; i < 200 && batcher.queuedImages() == 0; i++) {
            Thread.sleep(25);
        }
        assertThat(batcher.queuedImages()).isEqualTo(1);
    }
}
