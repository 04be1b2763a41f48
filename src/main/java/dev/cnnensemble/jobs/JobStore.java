package dev.cnnensemble.jobs;

import dev.cnnensemble.jobs.JobExceptions.NotFound;

import java.time.Clock;
import java.time.Instant;
import java.util.function.BiFunction;

import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Loads a job, lets it change itself, and stores it, in one transaction that also holds whatever the
 * change does to the queue. When a worker or a replica saved the job in between, the version check
 * fails, everything rolls back, and the change is applied again to the newer job.
 */
@Component
class JobStore {

    private static final int ATTEMPTS = 10;

    private final JobRepository jobs;
    private final TransactionTemplate transactions;
    private final Clock clock;

    JobStore(JobRepository jobs, TransactionTemplate transactions, Clock clock) {
        this.jobs = jobs;
        this.transactions = transactions;
        this.clock = clock;
    }

    Job find(String id) {
        return jobs.findById(id).orElseThrow(() -> new NotFound(id));
    }

    /** What a change returned, with the job as stored afterwards. */
    record Changed<R>(Job job, R result) {
    }

    <R> Changed<R> change(String id, BiFunction<Job, Instant, R> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.execute(status -> {
                    Job job = find(id);
                    R result = change.apply(job, clock.instant());
                    return new Changed<>(jobs.save(job), result);
                });
            } catch (OptimisticLockingFailureException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    Instant now() {
        return clock.instant();
    }
}
