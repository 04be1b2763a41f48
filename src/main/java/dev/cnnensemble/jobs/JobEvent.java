package dev.cnnensemble.jobs;

/**
 * What happens to a job, published as Spring application events on the replica that caused it.
 * Other replicas learn of it through the database.
 */
public sealed interface JobEvent {

    String jobId();

    /** The job changed state. */
    record StateChanged(String jobId, JobState state) implements JobEvent {
    }

    /** The job was deleted with its checkpoints. */
    record Deleted(String jobId) implements JobEvent {
    }
}
