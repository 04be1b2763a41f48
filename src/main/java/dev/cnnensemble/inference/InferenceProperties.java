package dev.cnnensemble.inference;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything under {@code cnn.inference}.
 *
 * @param maxImagesPerRequest beyond it a request gets 413
 * @param maxRequestSize      the largest request body, in any form (413 beyond it)
 * @param maxImageSize        the largest image file in a multipart request, or image body (413 beyond it)
 * @param maxImagePixels      the largest width x height decoded with {@code preprocess=mnist}; checked
 *                            from the header, before any pixel is decoded
 * @param autoPromote         whether every newly trained model becomes the default; when off, only
 *                            the first model does, and later ones wait for {@code PUT /models/default}
 * @param batching            how concurrent requests are merged into one pass through the ensemble
 * @param cacheMaxBytes       the memory that loaded models may hold; the least recently used is unloaded
 * @param threadsPerPass      CPU threads one inference pass may use: ONNX Runtime's intra-op threads, or
 *                            OpenMP's count on the model's own inference thread with DL4J, so training keeps
 *                            all cores; 0 leaves DL4J's default, every core. With DL4J, 1 measured fastest on
 *                            2 cores at every batch size (docs/tuning.md); with ONNX Runtime, 2 served 35 %
 *                            more beside training but cost training 42 % ({@code bench/run share}, README)
 * @param uncertaintyPercentile the percentile of a model's test-set entropies above which a prediction
 *                            is flagged uncertain; chosen when the job ends
 * @param engine              {@code onnx} (ONNX Runtime, the default) or {@code dl4j}
 */
@ConfigurationProperties("cnn.inference")
public record InferenceProperties(
        @DefaultValue("1024") int maxImagesPerRequest,
        @DefaultValue("32MB") DataSize maxRequestSize,
        @DefaultValue("8MB") DataSize maxImageSize,
        @DefaultValue("16777216") long maxImagePixels,
        @DefaultValue("false") boolean autoPromote,
        @DefaultValue Batching batching,
        @DefaultValue("512MB") DataSize cacheMaxBytes,
        @DefaultValue("1") int threadsPerPass,
        @DefaultValue("99") double uncertaintyPercentile,
        @DefaultValue("onnx") Engine engine) {

    /** What runs the networks: ONNX Runtime on each model's ONNX export, or DL4J on its checkpoints. */
    public enum Engine {
        ONNX, DL4J
    }

    public InferenceProperties {
        if (!(uncertaintyPercentile > 0 && uncertaintyPercentile <= 100)) {
            throw new IllegalArgumentException("cnn.inference.uncertainty-percentile must be above 0 and at most 100, not " + uncertaintyPercentile);
        }
    }

    /**
     * @param maxBatchSize    the most images in one pass
     * @param maxWait         how long a pass waits for more requests once it has some; 0 runs whatever
     *                        is queued as soon as the previous pass ends
     * @param maxQueuedImages images waiting per model; beyond it a request gets 503 with Retry-After
     * @param timeout         the longest a request waits for its turn before it gets 503
     * @param retryAfter      what the Retry-After of a 503 says
     */
    public record Batching(
            @DefaultValue("256") int maxBatchSize,
            @DefaultValue("0ms") Duration maxWait,
            @DefaultValue("4096") int maxQueuedImages,
            @DefaultValue("30s") Duration timeout,
            @DefaultValue("1s") Duration retryAfter) {
    }
}
