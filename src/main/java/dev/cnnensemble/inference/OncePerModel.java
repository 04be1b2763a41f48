package dev.cnnensemble.inference;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work done for a model on one background thread, such as evaluating it when its job ends; a request
 * for the same model while it runs waits for it rather than doing it again. After a failure, background
 * starts for that model pause for {@link #RETRY_AFTER_FAILURE}: every prediction of a model without an
 * evaluation asks for one, and would otherwise redo (and log) a failing one back to back.
 */
final class OncePerModel<T> implements AutoCloseable {

    static final Duration RETRY_AFTER_FAILURE = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(OncePerModel.class);

    private final String what;
    private final ExecutorService executor;
    private final Function<String, T> work;
    private final Clock clock;
    private final Map<String, CompletableFuture<T>> running = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastFailed = new ConcurrentHashMap<>();

    /** @param what the work, as a log line names it: "evaluate" */
    OncePerModel(String what, String threadName, Function<String, T> work) {
        this(what, threadName, work, Clock.systemUTC());
    }

    OncePerModel(String what, String threadName, Function<String, T> work, Clock clock) {
        this.what = what;
        this.work = work;
        this.clock = clock;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    CompletableFuture<T> start(String modelId) {
        CompletableFuture<T> run = new CompletableFuture<>();
        CompletableFuture<T> underWay = running.putIfAbsent(modelId, run);
        if (underWay != null) {
            return underWay;
        }
        // Completed outside the map's update, and only once the next start would begin a new run.
        try {
            executor.execute(() -> run(modelId, run));
        } catch (RejectedExecutionException closed) {
            // Closed at shutdown: fail this run rather than leave it in the map for later callers to wait on forever.
            running.remove(modelId, run);
            run.completeExceptionally(closed);
        }
        return run;
    }

    private void run(String modelId, CompletableFuture<T> run) {
        try {
            T result = work.apply(modelId);
            lastFailed.remove(modelId);
            running.remove(modelId, run);
            run.complete(result);
        } catch (RuntimeException | Error failure) {
            lastFailed.put(modelId, clock.instant());
            running.remove(modelId, run);
            run.completeExceptionally(failure);
        }
    }

    /**
     * Starts it and lets it run, unless it failed for this model less than {@link #RETRY_AFTER_FAILURE} ago;
     * a failure is logged. Whether it started, or joined a run under way.
     */
    boolean startInBackground(String modelId) {
        Instant failed = lastFailed.get(modelId);
        if (failed != null && clock.instant().isBefore(failed.plus(RETRY_AFTER_FAILURE))) {
            return false;
        }
        start(modelId).exceptionally(failure -> {
            log.warn("Could not {} model {}; tried again in the background {} minutes from now, or when asked for", what, modelId,
                    RETRY_AFTER_FAILURE.toMinutes(), failure);
            return null;
        });
        return true;
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
