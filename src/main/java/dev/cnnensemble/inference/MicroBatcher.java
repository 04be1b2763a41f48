package dev.cnnensemble.inference;

import static dev.cnnensemble.model.InputShape.PIXELS;

import dev.cnnensemble.inference.InferenceEngine.LoadedEnsemble;
import dev.cnnensemble.inference.InferenceExceptions.Overloaded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges concurrent requests for one model into passes of up to {@code maxBatchSize} images. One
 * thread owns the ensemble, since a network is not thread-safe; while it runs a pass, new requests
 * queue up and form the next one, so batches grow with the load by themselves. {@code maxWait}
 * optionally holds a pass back for more requests. The queue is bounded in images: beyond it a request
 * is refused at once (503) instead of piling up until memory runs out.
 *
 * <p>A reusable component, public for that reason: it needs nothing but a {@link LoadedEnsemble}, the
 * {@link InferenceProperties.Batching} settings and a meter registry, so it runs outside the service's
 * context too (the batching benchmark, {@code bench/batching}, sets it against DL4J's
 * {@code ParallelInference} on the same network). The service creates one per loaded model in {@code ModelCache}.
 */
public final class MicroBatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MicroBatcher.class);

    /** A request's images and the future its thread waits on. */
    private record Pending(float[] images, int count, CompletableFuture<float[][][]> result) {
    }

    /** The batcher was closed (its model unloaded) before the request got in; load the model again. */
    public static final class Closed extends RuntimeException {
        Closed() {
            super(null, null, false, false);
        }
    }

    private final LoadedEnsemble ensemble;
    private final InferenceProperties.Batching settings;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Object lock = new Object();
    private final Thread worker;
    private final DistributionSummary batchImages;
    private final Timer passTime;
    private int queuedImages;
    private boolean closed;
    private Pending carried;

    /**
     * Starts the thread that owns {@code ensemble} from now on; {@link #close()} frees it once the
     * queue is drained. {@code modelId} tags the meters {@code cnn.inference.batch.images} and
     * {@code cnn.inference.batch.duration} and names the thread.
     */
    public MicroBatcher(String modelId, LoadedEnsemble ensemble, InferenceProperties.Batching settings, MeterRegistry meters) {
        this.ensemble = ensemble;
        this.settings = settings;
        this.batchImages = DistributionSummary.builder("cnn.inference.batch.images")
                .description("Images per pass through the ensemble").tag("model", modelId).register(meters);
        this.passTime = Timer.builder("cnn.inference.batch.duration")
                .description("Time of one pass through every member").tag("model", modelId).register(meters);
        this.worker = new Thread(this::run, "inference-" + modelId.substring(0, Math.min(8, modelId.length())));
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Queues a request's images ({@code count} rows of 784); the future gets {@code [member][image][class]}.
     * Throws {@link Closed} once closed, and {@link Overloaded} when the queue holds too many images.
     */
    public CompletableFuture<float[][][]> submit(float[] images, int count) {
        CompletableFuture<float[][][]> result = new CompletableFuture<>();
        synchronized (lock) {
            if (closed) {
                throw new Closed();
            }
            // One request alone is always let in: its size is bounded by the per-request limit.
            if (queuedImages > 0 && queuedImages + count > settings.maxQueuedImages()) {
                throw new Overloaded(queuedImages + " images are waiting for this model, the most allowed "
                        + "(cnn.inference.batching.max-queued-images); retry shortly", settings.retryAfter().toSeconds());
            }
            queuedImages += count;
            queue.add(new Pending(images, count, result));
        }
        return result;
    }

    int queuedImages() {
        synchronized (lock) {
            return queuedImages;
        }
    }

    /** Stops taking requests; what is queued still runs, then the ensemble is freed. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
    }

    /**
     * Waits until the queue is drained and the ensemble freed, after {@link #close()}; false when that
     * takes longer than {@code timeout}.
     */
    boolean awaitFreed(Duration timeout) throws InterruptedException {
        worker.join(Math.max(1, timeout.toMillis()));
        return freed();
    }

    /** Whether the ensemble was freed: closed, and its queue drained. */
    boolean freed() {
        return !worker.isAlive();
    }

    private void run() {
        try {
            while (true) {
                List<Pending> batch = nextBatch();
                if (batch == null) {
                    break;
                }
                if (!batch.isEmpty()) {
                    execute(batch);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ensemble.close();
        }
    }

    /** The next pass's requests; null once closed and drained. */
    private List<Pending> nextBatch() throws InterruptedException {
        Pending first = carried;
        carried = null;
        while (first == null) {
            first = queue.poll(100, TimeUnit.MILLISECONDS);
            if (first == null) {
                synchronized (lock) {
                    if (closed && queue.isEmpty()) {
                        return null;
                    }
                }
            }
        }
        List<Pending> batch = new ArrayList<>();
        batch.add(first);
        int images = first.count();
        long deadline = System.nanoTime() + settings.maxWait().toNanos();
        while (images < settings.maxBatchSize()) {
            long wait = deadline - System.nanoTime();
            Pending next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null) {
                break;
            }
            if (images + next.count() > settings.maxBatchSize()) {
                carried = next;
                break;
            }
            batch.add(next);
            images += next.count();
        }
        synchronized (lock) {
            for (Pending p : batch) {
                queuedImages -= p.count();
            }
        }
        // Requests whose caller gave up (timed out) are dropped rather than computed for nobody.
        batch.removeIf(p -> p.result().isDone());
        return batch;
    }

    private void execute(List<Pending> batch) {
        int total = batch.stream().mapToInt(Pending::count).sum();
        float[] images = new float[total * PIXELS];
        int offset = 0;
        for (Pending p : batch) {
            System.arraycopy(p.images(), 0, images, offset * PIXELS, p.count() * PIXELS);
            offset += p.count();
        }
        float[][][] logits;
        long started = System.nanoTime();
        try {
            logits = runInChunks(images, total);
        } catch (RuntimeException | OutOfMemoryError e) {
            log.error("A pass of {} images failed", total, e);
            batch.forEach(p -> p.result().completeExceptionally(e));
            return;
        }
        passTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        batchImages.record(total);
        int from = 0;
        for (Pending p : batch) {
            float[][][] own = new float[logits.length][][];
            for (int m = 0; m < logits.length; m++) {
                own[m] = Arrays.copyOfRange(logits[m], from, from + p.count());
            }
            from += p.count();
            p.result().complete(own);
        }
    }

    /** A single request may exceed the batch size; it then runs as several passes. */
    private float[][][] runInChunks(float[] images, int total) {
        int max = settings.maxBatchSize();
        if (total <= max) {
            return ensemble.logits(images, total);
        }
        float[][][] all = null;
        for (int from = 0; from < total; from += max) {
            int count = Math.min(max, total - from);
            float[] chunk = Arrays.copyOfRange(images, from * PIXELS, (from + count) * PIXELS);
            float[][][] part = ensemble.logits(chunk, count);
            if (all == null) {
                all = new float[part.length][total][];
            }
            for (int m = 0; m < part.length; m++) {
                System.arraycopy(part[m], 0, all[m], from, count);
            }
        }
        return all;
    }
}
