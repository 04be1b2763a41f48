package dev.cnnensemble.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnensemble.model.Architecture;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class ModelCacheTest {

    private static final ModelDescriptor MODEL = new ModelDescriptor("m", Architecture.CNN, 2, "mnist", List.of("0", "1"));

    private static ModelCache cache(MicroBatcherTest.TracingEnsemble ensemble) {
        InferenceProperties.Batching batching = new InferenceProperties.Batching(256, Duration.ZERO, 4096, Duration.ofSeconds(10), Duration.ofSeconds(1));
        InferenceProperties properties = new InferenceProperties(1024, DataSize.ofMegabytes(32), DataSize.ofMegabytes(8), 1 << 24, false, batching,
                DataSize.ofMegabytes(512), 1, 99, InferenceProperties.Engine.ONNX);
        return new ModelCache(model -> ensemble, properties, new SimpleMeterRegistry());
    }

    @Test
    void shutdownWaitsForThePassOfAModelUnloadedBeforeIt() throws Exception {
        MicroBatcherTest.TracingEnsemble ensemble = new MicroBatcherTest.TracingEnsemble();
        ModelCache cache = cache(ensemble);
        CompletableFuture<float[][][]> running = cache.get(MODEL).batcher().submit(new float[784], 1);
        assertThat(ensemble.firstPassStarted.await(5, TimeUnit.SECONDS)).isTrue();
        cache.evict(MODEL.id());

        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> {
            try {
                cache.destroy();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThatThrownBy(() -> shutdown.get(300, TimeUnit.MILLISECONDS)).as("still in the pass").isInstanceOf(TimeoutException.class);
        assertThat(ensemble.closed).isFalse();

        ensemble.release.countDown();
        shutdown.get(5, TimeUnit.SECONDS);
        assertThat(ensemble.closed).as("freed before shutdown returned").isTrue();
        assertThat(running).isCompleted();
    }

    @Test
    void shutdownWaitsForTheModelsStillLoaded() throws Exception {
        MicroBatcherTest.TracingEnsemble ensemble = new MicroBatcherTest.TracingEnsemble();
        ModelCache cache = cache(ensemble);
        cache.get(MODEL).batcher().submit(new float[784], 1);
        assertThat(ensemble.firstPassStarted.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(ensemble.release::countDown);

        cache.destroy();
        assertThat(ensemble.closed).isTrue();
        assertThat(cache.ifLoaded(MODEL.id())).isEmpty();
    }
}
