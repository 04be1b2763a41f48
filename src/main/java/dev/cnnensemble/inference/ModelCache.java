package dev.cnnensemble.inference;

import dev.cnnensemble.inference.InferenceEngine.LoadedEnsemble;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;

import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Loaded models, each with its batcher, bounded by the memory their networks hold. A model loads on
 * its first request; the least recently used is unloaded when the bound is reached, or when its job is
 * deleted. Unloading only closes the batcher to new requests: those already queued still run.
 */
@Component
class ModelCache implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ModelCache.class);
    /** Longer than the slowest pass, a 5-member resnet at batch 256 under DL4J. */
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(30);

    /** A model ready to serve. */
    record Serving(ModelDescriptor model, String version, int epoch, MicroBatcher batcher, long memoryBytes) {
    }

    private final InferenceEngine engine;
    private final InferenceProperties properties;
    private final MeterRegistry meters;
    private final Cache<String, Serving> cache;
    /** Batchers closed, by model id, that may still be running their queued passes: shutdown waits for them too. */
    private final Map<MicroBatcher, String> draining = new ConcurrentHashMap<>();

    ModelCache(InferenceEngine engine, InferenceProperties properties, MeterRegistry meters) {
        this.engine = engine;
        this.properties = properties;
        this.meters = meters;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(Math.max(1, properties.cacheMaxBytes().toKilobytes()))
                .weigher((String id, Serving s) -> (int) Math.min(Integer.MAX_VALUE, Math.max(1, s.memoryBytes() / 1024)))
                .executor(Runnable::run)
                .removalListener((String id, Serving s, RemovalCause cause) -> unloaded(id, s, cause))
                .build();
        meters.gauge("cnn.inference.models.loaded", cache, c -> c.estimatedSize());
    }

    /** The model, loading it if needed; concurrent first requests wait for one load. */
    Serving get(ModelDescriptor model) {
        return cache.get(model.id(), id -> load(model));
    }

    Optional<Serving> ifLoaded(String id) {
        return Optional.ofNullable(cache.getIfPresent(id));
    }

    void evict(String id) {
        cache.invalidate(id);
    }

    private Serving load(ModelDescriptor model) {
        LoadedEnsemble ensemble = engine.load(model);
        return new Serving(model, ensemble.version(), ensemble.epoch(),
                new MicroBatcher(model.id(), ensemble, properties.batching(), meters), ensemble.memoryBytes());
    }

    private void unloaded(String id, Serving serving, RemovalCause cause) {
        if (serving != null) {
            serving.batcher().close();
            draining.keySet().removeIf(MicroBatcher::freed);
            draining.put(serving.batcher(), id);
            log.info("Model {} unloaded ({})", id, cause);
        }
    }

    /**
     * Unloads every model and waits for the passes under way, those of models unloaded earlier included,
     * so that none is in an engine's native code when the JVM exits after the context closes
     * ({@code CloseBeforeExit}): ONNX Runtime frees its environment in an exit hook of its own, and a
     * pass still running then crashes the JVM.
     */
    @Override
    public void destroy() throws InterruptedException {
        cache.invalidateAll();
        for (Map.Entry<MicroBatcher, String> batcher : draining.entrySet()) {
            if (!batcher.getKey().awaitFreed(SHUTDOWN_WAIT)) {
                log.warn("Model {} was still running a pass {} s after shutdown began", batcher.getValue(), SHUTDOWN_WAIT.toSeconds());
            }
        }
    }
}
