package dev.cnnensemble.jobs;

import dev.cnnensemble.jobs.JobExceptions.NotFound;
import dev.cnnensemble.training.MemberEpoch;
import dev.cnnensemble.training.MemberListener;
import dev.cnnensemble.training.MemberOutcome;
import dev.cnnensemble.training.MemberProgress;
import dev.cnnensemble.training.MemberRun;
import dev.cnnensemble.training.MemberStart;
import dev.cnnensemble.training.TrainingConfig;
import dev.cnnensemble.training.TrainingEngine;
import dev.cnnensemble.training.Work;

import java.time.Instant;
import java.util.OptionalInt;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Runs one member task on the calling worker: claims the member, trains it through the engine while
 * recording its progress and epochs, and settles how the task ended. A member stops at its next step
 * when the job is cancelled or failing (a flag in the database, so a cancel sent to any replica
 * reaches it), when its replica shuts down, or when it finds that another worker took it over.
 */
@Component
class MemberRunner {

    private static final Logger log = LoggerFactory.getLogger(MemberRunner.class);

    /** What to do with the task's queue entry. */
    enum Completion {
        /** Done with: trained, cancelled, failed, or not to run. */
        FINISHED,
        /** Stopped by a shutdown: due again at once, for any worker. */
        RELEASED,
        /** Another worker holds it now. */
        LOST
    }

    private final JobStore store;
    private final TrainingEngine engine;
    private final JobHistory history;
    private final MemberProgressStore progress;
    private final WorkerThreads workers;
    private final WorkerRegistry registry;
    private final JobQueries views;
    private final ApplicationEventPublisher events;
    private final JdbcClient jdbc;
    private final JobsProperties properties;
    private volatile boolean shuttingDown;

    MemberRunner(JobStore store, TrainingEngine engine, JobHistory history, MemberProgressStore progress, WorkerThreads workers,
                 WorkerRegistry registry, JobQueries views, ApplicationEventPublisher events, JdbcClient jdbc, JobsProperties properties) {
        this.store = store;
        this.engine = engine;
        this.history = history;
        this.progress = progress;
        this.workers = workers;
        this.registry = registry;
        this.views = views;
        this.events = events;
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /** Asks every member this replica trains to checkpoint and give its task back. */
    void shutDown() {
        shuttingDown = true;
    }

    Completion run(MemberTaskId task) {
        if (shuttingDown) {
            return Completion.RELEASED;
        }
        String worker = workers.currentWorker();
        JobStore.Changed<OptionalInt> claim;
        try {
            claim = store.change(task.jobId(), (job, now) -> job.claim(task.member(), worker, now));
        } catch (NotFound deleted) {
            return Completion.FINISHED;
        }
        if (claim.result().isEmpty()) {
            return Completion.FINISHED;
        }
        int attempt = claim.result().getAsInt();
        publish(claim.job());
        log.info("Job {} member {} runs on {} (attempt {})", task.jobId(), task.member(), worker, attempt);
        registry.busy(worker, task);
        workers.started();
        try {
            return train(task, attempt, views.config(claim.job()));
        } finally {
            workers.finished();
            registry.idle(worker);
        }
    }

    private Completion train(MemberTaskId task, int attempt, TrainingConfig config) {
        StopSignal stop = new StopSignal(task, attempt);
        try {
            MemberOutcome outcome = engine.train(new MemberRun(task.jobId(), config, task.member(), stop, workers::threadsPerStep),
                    new Recorder(task, attempt, config));
            if (stop.lost) {
                return lost(task, attempt);
            }
            if (outcome.completed()) {
                settle(task, (job, now) -> job.memberDone(task.member(), attempt, now));
                return Completion.FINISHED;
            }
            if (shuttingDown) {
                settle(task, (job, now) -> job.memberReleased(task.member(), attempt, now));
                log.info("Job {} member {} checkpointed for the shutdown; any worker continues it", task.jobId(), task.member());
                return Completion.RELEASED;
            }
            settle(task, (job, now) -> job.memberStopped(task.member(), attempt, now));
            return Completion.FINISHED;
        } catch (Job.LostClaim e) {
            return lost(task, attempt);
        } catch (RuntimeException | OutOfMemoryError e) {
            log.error("Job {} member {} failed", task.jobId(), task.member(), e);
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            try {
                settle(task, (job, now) -> job.memberFailed(task.member(), attempt, reason, now));
            } catch (Job.LostClaim lost) {
                return lost(task, attempt);
            }
            return Completion.FINISHED;
        }
    }

    private Completion lost(MemberTaskId task, int attempt) {
        log.warn("Job {} member {} attempt {} was taken over by another worker; this one stops without recording", task.jobId(),
                task.member(), attempt);
        return Completion.LOST;
    }

    private void settle(MemberTaskId task, BiConsumer<Job, Instant> transition) {
        try {
            publish(store.change(task.jobId(), (job, now) -> {
                transition.accept(job, now);
                return null;
            }).job());
        } catch (NotFound deleted) {
            // Deleted while its last member stopped: nothing left to settle.
        }
    }

    /** Tells this replica's listeners (the model registry, among them) that a job changed state. */
    private void publish(Job job) {
        events.publishEvent(new JobEvent.StateChanged(job.id(), job.state()));
    }

    /**
     * Whether the member must stop: at once on shutdown; otherwise from the database, read at most once
     * per progress interval, so that a cancel or a takeover seen by any replica reaches it.
     */
    private final class StopSignal implements BooleanSupplier {
        private final MemberTaskId task;
        private final int attempt;
        private final long intervalNanos = properties.progressInterval().toNanos();
        private long checkedAt = System.nanoTime();
        private boolean stop;
        volatile boolean lost;

        StopSignal(MemberTaskId task, int attempt) {
            this.task = task;
            this.attempt = attempt;
        }

        @Override
        public boolean getAsBoolean() {
            if (shuttingDown || stop) {
                return true;
            }
            long now = System.nanoTime();
            if (now - checkedAt >= intervalNanos) {
                checkedAt = now;
                var row = jdbc.sql("""
                                SELECT j.stop_reason, t.state, t.attempt FROM job_record j JOIN member_task t ON t.job_id = j.id
                                WHERE j.id = ? AND t.member = ?""")
                        .params(task.jobId(), task.member())
                        .query((rs, n) -> new Object[]{rs.getString(1), rs.getString(2), rs.getInt(3)}).optional();
                lost = row.isEmpty() || !"RUNNING".equals(row.get()[1]) || (int) row.get()[2] != attempt;
                stop = lost || row.get()[0] != null;
            }
            return stop;
        }
    }

    /** Turns the member's training events into progress rows and history rows. */
    private final class Recorder implements MemberListener {
        private final MemberTaskId task;
        private final int attempt;
        private final TrainingConfig config;
        private final long intervalNanos = properties.progressInterval().toNanos();
        private long writtenAt;
        private Work work;

        Recorder(MemberTaskId task, int attempt, TrainingConfig config) {
            this.task = task;
            this.attempt = attempt;
            this.config = config;
        }

        @Override
        public void onStart(MemberStart start) {
            work = start.work();
            store.change(task.jobId(), (job, now) -> {
                job.resumedAt(task.member(), attempt, start.firstEpoch(), start.completedSteps(), now);
                return null;
            });
            progress.start(task, attempt, start, store.now());
            writtenAt = System.nanoTime();
            history.backfill(task, attempt, config, start.completedEpochs());
            if (start.resumed()) {
                log.info("Job {} member {} resumes at epoch {} with {} of {} steps already done", task.jobId(), task.member(),
                        start.firstEpoch(), start.completedSteps(), work.totalSteps());
            }
        }

        @Override
        public void onStep(MemberProgress p) {
            long now = System.nanoTime();
            if (now - writtenAt >= intervalNanos || p.step() == work.stepsPerEpoch()) {
                writtenAt = now;
                if (!progress.update(task, attempt, p, store.now())) {
                    throw new Job.LostClaim(task.jobId(), task.member(), attempt);
                }
            }
        }

        @Override
        public void onEpoch(MemberEpoch epoch) {
            progress.evaluated(task, attempt, work.done(epoch.epoch(), 0), store.now());
            history.memberEpoch(task, attempt, config, epoch);
        }
    }
}
