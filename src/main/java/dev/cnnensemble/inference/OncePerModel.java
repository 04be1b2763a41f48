package dev.cnnensemble.inference;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work done for a model on one background thread, such as evaluating it when its job ends; a request
 * for the same model while it runs waits for it rather than doing it again.
 */
final class OncePerModel<T> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OncePerModel.class);

    private final String what;
    private final ExecutorService executor;
    private final Function<String, T> work;
    private final Map<String, CompletableFuture<T>> running = new ConcurrentHashMap<>();

    /** @param what the work, as a log line names it: "evaluate" */
    OncePerModel(String what, String threadName, Function<String, T> work) {
        this.what = what;
        this.work = work;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    CompletableFuture<T> start(String modelId) {
        return running.computeIfAbsent(modelId, id -> CompletableFuture.supplyAsync(() -> work.apply(id), executor)
                .whenComplete((result, failure) -> running.remove(id)));
    }

    /** Starts it and lets it run; a failure is logged, and the next request for the model tries again. */
    void startInBackground(String modelId) {
        start(modelId).exceptionally(failure -> {
            log.warn("Could not {} model {}; the next request for it tries again", what, modelId, failure);
            return null;
        });
    }

    /** Starts it, or joins the run under way, and waits; its exception is rethrown as it was thrown. */
    T await(String modelId) {
        try {
            return start(modelId).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
