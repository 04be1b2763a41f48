package dev.cnnensemble.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnensemble.inference.InferenceEngine.LoadedEnsemble;
import dev.cnnensemble.inference.InferenceExceptions.Overloaded;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class MicroBatcherTest {

    private static final int PIXELS = 784;

    /** Two members whose logits encode the image's first pixel, so every answer can be traced to its image. */
    static final class TracingEnsemble implements LoadedEnsemble {
        final List<Integer> passes = new CopyOnWriteArrayList<>();
        final CountDownLatch firstPassStarted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean closed;

        @Override
        public float[][][] logits(float[] images, int count) {
            passes.add(count);
            firstPassStarted.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            float[][][] logits = new float[2][count][10];
            for (int i = 0; i < count; i++) {
                logits[0][i][0] = images[i * PIXELS];
                logits[1][i][0] = -images[i * PIXELS];
            }
            return logits;
        }

        @Override
        public String version() {
            return "v";
        }

        @Override
        public int epoch() {
            return 1;
        }

        @Override
        public long memoryBytes() {
            return 1;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static InferenceProperties.Batching settings(int maxBatch, int maxQueued) {
        return new InferenceProperties.Batching(maxBatch, Duration.ZERO, maxQueued, Duration.ofSeconds(10), Duration.ofSeconds(1));
    }

    private static float[] images(float... firstPixels) {
        float[] images = new float[firstPixels.length * PIXELS];
        for (int i = 0; i < firstPixels.length; i++) {
            images[i * PIXELS] = firstPixels[i];
        }
        return images;
    }

    @Test
    void requestsQueuedDuringAPassRunTogetherAndEachGetsItsOwnRows() throws Exception {
        TracingEnsemble ensemble = new TracingEnsemble();
        try (MicroBatcher batcher = new MicroBatcher("m", ensemble, settings(256, 4096), new SimpleMeterRegistry())) {
            CompletableFuture<float[][][]> first = batcher.submit(images(1), 1);
            assertThat(ensemble.firstPassStarted.await(5, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<float[][][]>> queued = new ArrayList<>();
            for (int r = 0; r < 10; r++) {
                queued.add(batcher.submit(images(10 * r + 2, 10 * r + 3), 2));
            }
            ensemble.release.countDown();

            assertThat(first.get(5, TimeUnit.SECONDS)[0][0][0]).isEqualTo(1f);
            for (int r = 0; r < 10; r++) {
                float[][][] logits = queued.get(r).get(5, TimeUnit.SECONDS);
                assertThat(logits).hasDimensions(2, 2);
                assertThat(logits[0][0][0]).isEqualTo(10 * r + 2f);
                assertThat(logits[0][1][0]).isEqualTo(10 * r + 3f);
                assertThat(logits[1][1][0]).isEqualTo(-(10 * r + 3f));
            }
            assertThat(ensemble.passes).containsExactly(1, 20);
        }
    }

    @Test
    void aPassNeverExceedsTheBatchSizeAndALargeRequestRunsInChunks() throws Exception {
        TracingEnsemble ensemble = new TracingEnsemble();
        ensemble.release.countDown();
        try (MicroBatcher batcher = new MicroBatcher("m", ensemble, settings(4, 4096), new SimpleMeterRegistry())) {
            float[][][] logits = batcher.submit(images(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 10).get(5, TimeUnit.SECONDS);
            assertThat(ensemble.passes).containsExactly(4, 4, 2);
            for (int i = 0; i < 10; i++) {
                assertThat(logits[0][i][0]).isEqualTo(i + 1f);
            }
        }
    }

    @Test
    void aFullQueueRefusesAtOnceWithRetryAfter() throws Exception {
        TracingEnsemble ensemble = new TracingEnsemble();
        try (MicroBatcher batcher = new MicroBatcher("m", ensemble, settings(256, 3), new SimpleMeterRegistry())) {
            batcher.submit(images(1), 1);
            assertThat(ensemble.firstPassStarted.await(5, TimeUnit.SECONDS)).isTrue();
            batcher.submit(images(1, 2), 2);
            assertThatThrownBy(() -> batcher.submit(images(1, 2), 2))
                    .isInstanceOf(Overloaded.class).hasMessageContaining("2 images are waiting")
                    .extracting(e -> ((Overloaded) e).retryAfterSeconds()).isEqualTo(1L);
            ensemble.release.countDown();
        }
    }

    @Test
    void closingRunsWhatIsQueuedThenFreesTheEnsemble() throws Exception {
        TracingEnsemble ensemble = new TracingEnsemble();
        MicroBatcher batcher = new MicroBatcher("m", ensemble, settings(256, 4096), new SimpleMeterRegistry());
        CompletableFuture<float[][][]> running = batcher.submit(images(1), 1);
        assertThat(ensemble.firstPassStarted.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<float[][][]> queued = batcher.submit(images(2), 1);

        batcher.close();
        assertThatThrownBy(() -> batcher.submit(images(3), 1)).isInstanceOf(MicroBatcher.Closed.class);
        assertThat(batcher.awaitFreed(Duration.ofMillis(200))).as("a pass is still running").isFalse();
        assertThat(ensemble.closed).isFalse();
        ensemble.release.countDown();

        assertThat(batcher.awaitFreed(Duration.ofSeconds(5))).isTrue();
        assertThat(ensemble.closed).as("freed once drained").isTrue();
        assertThat(running.get(5, TimeUnit.SECONDS)[0][0][0]).isEqualTo(1f);
        assertThat(queued.get(5, TimeUnit.SECONDS)[0][0][0]).isEqualTo(2f);
    }
}
