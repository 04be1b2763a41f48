package dev.cnnensemble.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * This replica's training workers: at start it gives unfinished jobs their queue entries and starts
 * db-scheduler, whose executor threads are the workers. At shutdown it asks running members to
 * checkpoint and give their tasks back (another replica continues them at once), then stops the
 * scheduler within the lifecycle's shutdown phase.
 */
@Component
@ConditionalOnBooleanProperty(name = "cnn.jobs.enabled", matchIfMissing = true)
class WorkerPool implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

    private final Scheduler scheduler;
    private final MemberRunner runner;
    private final JobCommands commands;
    private final WorkerThreads threads;
    private final WorkerRegistry registry;
    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final JobsProperties properties;
    private ScheduledExecutorService heartbeats;
    private volatile boolean running;
    private boolean schedulerStarted;

    WorkerPool(Scheduler scheduler, MemberRunner runner, JobCommands commands, WorkerThreads threads, WorkerRegistry registry,
               DataSource dataSource, JdbcClient jdbc, JobsProperties properties) {
        this.scheduler = scheduler;
        this.runner = runner;
        this.commands = commands;
        this.threads = threads;
        this.registry = registry;
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.properties = properties;
    }

    @Override
    public void start() {
        WorkerPlan plan = threads.plan();
        plan.problems().forEach(problem -> log.warn("Training device left out: {}", problem));
        releaseOwnLeasesOnSingleNode();
        commands.reconcile();
        registry.register(threads.replica(), threads.names(), plan);
        if (plan.size() > 0) {
            scheduler.start();
            schedulerStarted = true;
        }
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "worker-heartbeat"));
        heartbeats.scheduleWithFixedDelay(() -> {
            try {
                registry.heartbeat(threads.replica());
            } catch (RuntimeException e) {
                log.warn("Worker heartbeat failed: {}", e.toString());
            }
        }, properties.heartbeat().toMillis(), properties.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
        running = true;
        log.info("Replica {}: {} training worker(s) on {} ({} CPU thread(s) per step when all are busy)", threads.replica(), plan.size(),
                plan.workers().stream().map(d -> d.label()).distinct().toList(), plan.threadsPerStep(properties.threadsPerWorker(), plan.size()));
    }

    /**
     * The embedded H2 database belongs to one process, so every task it shows as picked was picked by
     * a process that is gone: hand those out again now rather than after the dead-worker timeout.
     */
    private void releaseOwnLeasesOnSingleNode() {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.getMetaData().getDatabaseProductName().equals("H2")) {
                return;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the database cannot be reached", e);
        }
        int released = jdbc.sql("""
                UPDATE scheduled_tasks SET picked = FALSE, picked_by = NULL, last_heartbeat = NULL, version = version + 1
                WHERE picked = TRUE""").update();
        if (released > 0) {
            log.info("{} member task(s) interrupted by the previous stop continue from their checkpoints", released);
        }
    }

    @Override
    public void stop(Runnable callback) {
        running = false;
        runner.shutDown();
        // Runs on its own thread: Spring waits for the callback no longer than timeout-per-shutdown-phase.
        Thread stopper = new Thread(() -> {
            try {
                if (schedulerStarted) {
                    scheduler.stop();
                }
                heartbeats.shutdownNow();
                registry.leave(threads.replica());
                log.info("Training workers stopped; their members continue on any worker from their checkpoints");
            } catch (RuntimeException e) {
                log.warn("Training workers did not stop cleanly: {}", e.toString());
            } finally {
                callback.run();
            }
        }, "worker-pool-stop");
        stopper.start();
    }

    @Override
    public void stop() {
        stop(() -> {
        });
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Not stopped by a pause (Spring's test context cache pauses contexts it is not using): a stopped
     * db-scheduler and its executor cannot start again, and members would checkpoint for nothing.
     */
    @Override
    public boolean isPauseable() {
        return false;
    }
}
