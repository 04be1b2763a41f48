package dev.cnnensemble.jobs;

import dev.cnnensemble.jobs.JobExceptions.Conflict;
import dev.cnnensemble.jobs.JobExceptions.NotFound;
import dev.cnnensemble.jobs.JobExceptions.QueueFull;
import dev.cnnensemble.training.EpochMetrics;
import dev.cnnensemble.training.EpochReport;
import dev.cnnensemble.training.TrainingConfig;
import dev.cnnensemble.training.TrainingEngine;
import dev.cnnensemble.training.TrainingOutcome;
import dev.cnnensemble.training.TrainingRun;
import dev.cnnensemble.training.TrainingStart;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accepts, runs, stops and resumes training jobs. A job is persisted before it is queued, so a
 * restart (or a crash) finds every accepted job: QUEUED ones wait again, RUNNING ones resume from
 * their checkpoints.
 */
@Service
public class JobService {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);

    /** Why a running job is asked to stop: a user's cancel ends it, a shutdown re-queues it. */
    enum StopReason { CANCEL, SHUTDOWN }

    /** Outcome of a submission: the job, and whether this request created it. */
    public record Submission(JobView job, boolean created) {
    }

    private final JobRepository jobs;
    private final EpochRepository epochs;
    private final JobQueue queue;
    private final TrainingEngine engine;
    private final ApplicationEventPublisher events;
    private final JobMetrics metrics;
    private final JobsProperties properties;
    private final JsonMapper json;
    private final Clock clock;
    private final Map<String, StopReason> stopRequests = new ConcurrentHashMap<>();
    private final Map<String, JobView.Progress> live = new ConcurrentHashMap<>();
    private volatile boolean shuttingDown;

    public JobService(JobRepository jobs, EpochRepository epochs, JobQueue queue, TrainingEngine engine, ApplicationEventPublisher events,
                      JobMetrics metrics, JobsProperties properties, JsonMapper json) {
        this.jobs = jobs;
        this.epochs = epochs;
        this.queue = queue;
        this.engine = engine;
        this.events = events;
        this.metrics = metrics;
        this.properties = properties;
        // The API rejects unknown fields; configs stored by another version must still read.
        this.json = json.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        this.clock = Clock.systemUTC();
    }

    public Submission submit(TrainingConfig requested, String name, String idempotencyKey) {
        if (idempotencyKey != null) {
            Optional<JobRecord> existing = jobs.findByIdempotencyKey(idempotencyKey);
            if (existing.isPresent()) {
                return new Submission(view(existing.get()), false);
            }
        }
        TrainingConfig config = requested.withDefaults();
        if (!queue.hasRoom()) {
            throw queueFull();
        }
        JobRecord job = new JobRecord();
        job.id = UUID.randomUUID().toString();
        job.name = name;
        job.state = JobState.QUEUED;
        job.idempotencyKey = idempotencyKey;
        job.configJson = json.writeValueAsString(config);
        job.createdAt = now();
        job.updatedAt = job.createdAt;
        try {
            jobs.save(job);
        } catch (DuplicateKeyException race) {
            // A concurrent retry with the same key won; answer with its job.
            return new Submission(view(jobs.findByIdempotencyKey(idempotencyKey).orElseThrow()), false);
        }
        if (!queue.offerNew(job.id)) {
            jobs.deleteById(job.id);
            throw queueFull();
        }
        log.info("Job {} queued: {}", job.id, config);
        return new Submission(view(job), true);
    }

    public JobView get(String id) {
        return view(find(id));
    }

    public Page<JobView> list(JobState state, int page, int size) {
        PageRequest request = PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "createdAt"));
        Page<JobRecord> records = state == null ? jobs.findAll(request) : jobs.findByState(state, request);
        return records.map(this::summary);
    }

    /** Cancels a queued job at once; a running one stops after its current step, with a checkpoint. */
    public JobView cancel(String id) {
        JobRecord job = find(id);
        switch (job.state) {
            case QUEUED -> {
                queue.remove(id);
                JobRecord cancelled = update(id, r -> {
                    if (r.state == JobState.QUEUED) {
                        r.state = JobState.CANCELLED;
                        r.finishedAt = now();
                    } else if (r.state == JobState.RUNNING) {
                        stopRequests.put(id, StopReason.CANCEL);
                    }
                });
                events.publishEvent(new JobEvent.StateChanged(view(cancelled)));
                return view(cancelled);
            }
            case RUNNING -> {
                stopRequests.put(id, StopReason.CANCEL);
                return withStopRequested(view(find(id)));
            }
            default -> throw new Conflict("job " + id + " is already " + job.state);
        }
    }

    private static JobView withStopRequested(JobView v) {
        return new JobView(v.id(), v.name(), v.state(), v.createdAt(), v.startedAt(), v.finishedAt(), v.config(), v.progress(), v.history(),
                v.checkpoints(), v.error(), v.attempts(), v.resumedAtEpoch(), v.resumedAtStep(), v.state() == JobState.RUNNING);
    }

    /** Puts a cancelled or failed job back in the queue; it continues from its last checkpoint. */
    public JobView resume(String id) {
        JobRecord job = find(id);
        if (job.state != JobState.CANCELLED && job.state != JobState.FAILED) {
            throw new Conflict("only CANCELLED or FAILED jobs can be resumed; job " + id + " is " + job.state);
        }
        if (!queue.hasRoom()) {
            throw queueFull();
        }
        JobRecord queued = update(id, r -> {
            r.state = JobState.QUEUED;
            r.finishedAt = null;
            r.error = null;
        });
        queue.requeue(id);
        return view(queued);
    }

    /** Removes a finished job, its metric history and its checkpoint files. */
    public void delete(String id) {
        JobRecord job = find(id);
        if (!job.state.isFinal()) {
            throw new Conflict("job " + id + " is " + job.state + "; cancel it before deleting it");
        }
        engine.delete(id);
        epochs.deleteByJobId(id);
        jobs.deleteById(id);
        log.info("Job {} deleted with its checkpoints", id);
        events.publishEvent(new JobEvent.Deleted(id));
    }

    /** Re-queues what a previous process accepted: RUNNING jobs were interrupted and resume. */
    void recover() {
        for (JobRecord job : jobs.findByStateInOrderByCreatedAtAsc(EnumSet.of(JobState.RUNNING, JobState.QUEUED))) {
            if (job.state == JobState.RUNNING) {
                update(job.id, r -> r.state = JobState.QUEUED);
                log.info("Job {} was running when the service stopped; it resumes from its last checkpoint", job.id);
            }
            queue.requeue(job.id);
        }
    }

    /** Waits up to {@code timeoutMillis} for a queued job and runs it on the calling thread. */
    void runNext(long timeoutMillis) throws InterruptedException {
        String id = queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (id != null) {
            run(id);
        }
    }

    /**
     * Asks every job this process runs, or is about to run, to checkpoint and stop; they are
     * re-queued for the next start.
     */
    void stopAllForShutdown() {
        shuttingDown = true;
    }

    private StopReason stopReason(String id) {
        return shuttingDown ? StopReason.SHUTDOWN : stopRequests.get(id);
    }

    private void run(String id) {
        JobRecord job;
        try {
            job = update(id, r -> {
                if (r.state == JobState.QUEUED) {
                    r.state = JobState.RUNNING;
                    r.startedAt = r.startedAt == null ? now() : r.startedAt;
                    r.attempts++;
                }
            });
        } catch (NotFound deleted) {
            return;
        }
        if (job.state != JobState.RUNNING) {
            return;
        }
        JobState end;
        String error = null;
        try {
            TrainingConfig config = json.readValue(job.configJson, TrainingConfig.class);
            live.put(id, new JobView.Progress(progressOf(job), null, config.ensembleSize(), null, config.epochs(), null, null, null, null));
            replaceHistory(id, engine.history(id));
            events.publishEvent(new JobEvent.StateChanged(view(job)));
            TrainingOutcome outcome = engine.train(new TrainingRun(id, config, () -> stopReason(id) != null),
                    new JobProgressRecorder(id, config, this, properties.progressInterval().toNanos()));
            end = outcome.completed() ? JobState.SUCCEEDED
                    : stopReason(id) == StopReason.SHUTDOWN ? JobState.QUEUED : JobState.CANCELLED;
        } catch (RuntimeException | OutOfMemoryError e) {
            log.error("Job {} failed", id, e);
            end = JobState.FAILED;
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        JobView.Progress last = live.remove(id);
        StopReason reason = stopReason(id);
        stopRequests.remove(id);
        JobState finalState = end;
        String finalError = error;
        JobRecord finished = update(id, r -> {
            r.state = finalState;
            r.error = finalError;
            r.finishedAt = finalState.isFinal() ? now() : null;
            if (last != null) {
                record(r, last);
            }
            r.etaSeconds = finalState == JobState.SUCCEEDED ? Long.valueOf(0) : null;
        });
        log.info("Job {} {}{}", id, finalState, reason == StopReason.SHUTDOWN ? " (re-queued for the next start)" : "");
        events.publishEvent(new JobEvent.StateChanged(view(finished)));
    }

    void started(String id, TrainingStart start) {
        update(id, r -> {
            r.resumedAtEpoch = start.firstEpoch();
            r.resumedAtStep = start.completedSteps();
        });
        if (start.resumed()) {
            log.info("Job {} resumes at epoch {} with {} of {} steps already done", id, start.firstEpoch(), start.completedSteps(), start.totalSteps());
        }
    }

    void progressed(String id, JobView.Progress progress, boolean persist) {
        live.put(id, progress);
        events.publishEvent(new JobEvent.Progressed(id, progress));
        if (persist) {
            update(id, r -> record(r, progress));
        }
    }

    private static void record(JobRecord r, JobView.Progress progress) {
        r.progressPercent = progress.percent();
        r.currentMember = progress.member();
        r.currentEpoch = progress.epoch();
        r.currentStep = progress.step();
        r.stepsPerEpoch = progress.stepsPerEpoch();
        r.samplesPerSecond = progress.samplesPerSecond();
        r.etaSeconds = progress.etaSeconds();
    }

    void epochCompleted(String id, EpochReport report, String architecture) {
        epochs.deleteByJobIdAndEpoch(id, report.epoch());
        epochs.saveAll(rows(id, report));
        metrics.epochCompleted(architecture, report);
        events.publishEvent(new JobEvent.EpochCompleted(id, epochView(report)));
    }

    private void replaceHistory(String id, List<EpochReport> history) {
        epochs.deleteByJobId(id);
        history.forEach(report -> epochs.saveAll(rows(id, report)));
    }

    private static List<EpochRecord> rows(String id, EpochReport report) {
        List<EpochRecord> rows = new ArrayList<>();
        double seconds = report.trainingTime().toNanos() / 1e9;
        rows.add(row(id, report, EpochRecord.ENSEMBLE, report.ensemble(), seconds));
        for (int m = 0; m < report.members().size(); m++) {
            rows.add(row(id, report, m, report.members().get(m), seconds));
        }
        return rows;
    }

    private static EpochRecord row(String id, EpochReport report, int member, EpochMetrics m, double seconds) {
        return new EpochRecord(null, id, report.epoch(), member, m.loss(), m.trainAccuracy(), m.validationAccuracy(), m.testAccuracy(),
                report.learningRate(), seconds, report.samplesPerSecond());
    }

    Map<String, JobView.Progress> liveProgress() {
        return live;
    }

    long countByState(JobState state) {
        return jobs.countByState(state);
    }

    int queueDepth() {
        return queue.depth();
    }

    private JobRecord find(String id) {
        return jobs.findById(id).orElseThrow(() -> new NotFound(id));
    }

    /** Applies a change to the newest stored version, retrying when another thread saved in between. */
    private JobRecord update(String id, Consumer<JobRecord> change) {
        for (int attempt = 1; ; attempt++) {
            JobRecord record = find(id);
            change.accept(record);
            record.updatedAt = now();
            try {
                return jobs.save(record);
            } catch (OptimisticLockingFailureException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private QueueFull queueFull() {
        return new QueueFull(properties.queueCapacity(), properties.retryAfter().toSeconds());
    }

    private Instant now() {
        return clock.instant();
    }

    private static double progressOf(JobRecord job) {
        return job.progressPercent == null ? 0 : job.progressPercent;
    }

    JobView view(JobRecord job) {
        List<JobView.EpochView> history = new ArrayList<>();
        List<EpochRecord> rows = epochs.findByJobIdOrderByEpochAscMemberAsc(job.id);
        for (int i = 0; i < rows.size(); ) {
            EpochRecord ensemble = rows.get(i);
            List<EpochMetrics> members = new ArrayList<>();
            int j = i + 1;
            while (j < rows.size() && rows.get(j).epoch() == ensemble.epoch()) {
                members.add(metrics(rows.get(j++)));
            }
            history.add(new JobView.EpochView(ensemble.epoch(), ensemble.learningRate(), ensemble.trainingSeconds(),
                    ensemble.samplesPerSecond(), metrics(ensemble), members));
            i = j;
        }
        TrainingConfig config = json.readValue(job.configJson, TrainingConfig.class);
        return new JobView(job.id, job.name, job.state, job.createdAt, job.startedAt, job.finishedAt, config, progress(job, config),
                history, engine.checkpoints(job.id, config.ensembleSize()), job.error, job.attempts, job.resumedAtEpoch,
                job.resumedAtStep, stopRequests.get(job.id) == StopReason.CANCEL);
    }

    /** A list entry: everything but the history and the checkpoints. */
    private JobView summary(JobRecord job) {
        TrainingConfig config = json.readValue(job.configJson, TrainingConfig.class);
        return new JobView(job.id, job.name, job.state, job.createdAt, job.startedAt, job.finishedAt, config, progress(job, config),
                null, null, job.error, job.attempts, job.resumedAtEpoch, job.resumedAtStep, stopRequests.get(job.id) == StopReason.CANCEL);
    }

    private JobView.Progress progress(JobRecord job, TrainingConfig config) {
        JobView.Progress running = live.get(job.id);
        if (running != null) {
            return running;
        }
        return new JobView.Progress(progressOf(job), job.currentMember, config.ensembleSize(), job.currentEpoch, config.epochs(),
                job.currentStep, job.stepsPerEpoch, job.samplesPerSecond, job.etaSeconds);
    }

    private static EpochMetrics metrics(EpochRecord row) {
        return new EpochMetrics(row.loss(), row.trainAccuracy(), row.validationAccuracy(), row.testAccuracy());
    }

    static JobView.EpochView epochView(EpochReport report) {
        return new JobView.EpochView(report.epoch(), report.learningRate(), report.trainingTime().toNanos() / 1e9,
                report.samplesPerSecond(), report.ensemble(), report.members());
    }
}
