package dev.cnnensemble.jobs;

import dev.cnnensemble.dataset.DatasetStore;
import dev.cnnensemble.jobs.JobExceptions.Conflict;
import dev.cnnensemble.jobs.JobExceptions.IdempotencyKeyInFlight;
import dev.cnnensemble.jobs.JobExceptions.IdempotencyKeyReused;
import dev.cnnensemble.jobs.JobExceptions.QueueFull;
import dev.cnnensemble.support.Checksums;
import dev.cnnensemble.training.TrainingConfig;
import dev.cnnensemble.training.TrainingEngine;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.jspecify.annotations.Nullable;

/**
 * What users ask of jobs: submit, cancel, resume, delete. Each stores the job and changes its queue
 * entries in one transaction, on whichever replica the request reaches.
 */
@Service
public class JobCommands {

    private static final Logger log = LoggerFactory.getLogger(JobCommands.class);

    /** Outcome of a submission: the job, and whether this request created it. */
    public record Submission(JobView job, boolean created) {
    }

    private final JobRepository jobs;
    private final JobStore store;
    private final MemberQueue queue;
    private final JobQueries queries;
    private final TrainingEngine engine;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final DatasetStore datasets;
    private final JobsProperties properties;

    JobCommands(JobRepository jobs, JobStore store, MemberQueue queue, JobQueries queries, TrainingEngine engine,
                TransactionTemplate transactions, ApplicationEventPublisher events, DatasetStore datasets, JobsProperties properties) {
        this.jobs = jobs;
        this.store = store;
        this.queue = queue;
        this.queries = queries;
        this.engine = engine;
        this.transactions = transactions;
        this.events = events;
        this.datasets = datasets;
        this.properties = properties;
    }

    /**
     * Stores a job and one queue entry per member. An unknown dataset (404) or one that cannot be had
     * on this machine (422) is refused here, not when a worker starts.
     */
    public Submission submit(TrainingConfig requested, @Nullable String name, @Nullable String idempotencyKey) {
        // The request as sent, before defaults: a retry repeats it; another request under the same key is refused.
        String fingerprint = idempotencyKey == null ? null : Checksums.sha256(name + "\n" + queries.json(requested));
        if (idempotencyKey != null) {
            Optional<Job> existing = jobs.findByIdempotencyKey(idempotencyKey);
            if (existing.isPresent()) {
                if (!existing.get().repeatedBy(fingerprint)) {
                    throw new IdempotencyKeyReused(idempotencyKey, existing.get().id());
                }
                return new Submission(queries.view(existing.get()), false);
            }
        }
        TrainingConfig config = requested.withDefaults();
        datasets.requireObtainable(config.dataset());
        Job job;
        try {
            job = transactions.execute(status -> {
                requireRoom();
                Job created = jobs.save(Job.submit(UUID.randomUUID().toString(), name, queries.json(config), config.dataset(), config.ensembleSize(),
                        idempotencyKey, fingerprint, store.now()));
                queue.add(created.id(), IntStream.range(0, config.ensembleSize()).boxed().toList());
                return created;
            });
        } catch (DuplicateKeyException race) {
            // A request with the same key was being stored meanwhile: the draft's 409, and a retry gets its job.
            throw new IdempotencyKeyInFlight(idempotencyKey);
        } catch (DataIntegrityViolationException race) {
            // The job's dataset was deleted since it was checked: its foreign key says so.
            datasets.requireObtainable(config.dataset());
            throw race;
        }
        log.info("Job {} queued as {} member task(s): {}", job.id(), config.ensembleSize(), config);
        return new Submission(queries.view(job), true);
    }

    /** Cancels a queued job at once; running members stop after their current step, with a checkpoint. */
    public JobView cancel(String id) {
        Job job = store.change(id, (j, now) -> {
            List<Integer> dequeued = j.cancel(now);
            queue.remove(id, dequeued);
            return dequeued;
        }).job();
        events.publishEvent(new JobEvent.StateChanged(id, job.state()));
        return queries.view(job);
    }

    /** Puts a cancelled or failed job back in the queue; its members continue from their checkpoints. */
    public JobView resume(String id) {
        Job job = store.change(id, (j, now) -> {
            requireRoom();
            List<Integer> again = j.resume(now);
            queue.add(id, again);
            return again;
        }).job();
        events.publishEvent(new JobEvent.StateChanged(id, job.state()));
        return queries.view(job);
    }

    /** Removes a finished job, its metric history and its checkpoint files. */
    public void delete(String id) {
        Job job = store.find(id);
        if (!job.state().isFinal()) {
            throw new Conflict("job " + id + " is " + job.state() + "; cancel it before deleting it");
        }
        jobs.delete(job);
        engine.delete(id);
        log.info("Job {} deleted with its checkpoints", id);
        events.publishEvent(new JobEvent.Deleted(id));
    }

    /**
     * Gives every unfinished job its queue entries: jobs stored before members were tasks get their
     * member rows, and a waiting member whose entry is missing gets one. Idempotent, for every start.
     */
    void reconcile() {
        for (Job stored : jobs.findByStateIn(EnumSet.of(JobState.QUEUED, JobState.RUNNING))) {
            int ensembleSize = queries.config(stored).ensembleSize();
            store.change(stored.id(), (job, now) -> {
                job.ensureMembers(ensembleSize);
                List<Integer> open = IntStream.range(0, ensembleSize).filter(m -> job.members.get(m).state.isOpen()).boxed().toList();
                queue.add(stored.id(), open);
                return open;
            });
        }
    }

    /** The queue's capacity counts waiting jobs in the database, so it holds across replicas. */
    private void requireRoom() {
        if (jobs.countByState(JobState.QUEUED) >= properties.queueCapacity()) {
            throw new QueueFull(properties.queueCapacity(), properties.retryAfter().toSeconds());
        }
    }
}
