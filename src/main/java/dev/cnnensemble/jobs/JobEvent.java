package dev.cnnensemble.jobs;

/** What happens to a job, published as Spring application events on the thread that caused it. */
public sealed interface JobEvent {

    String jobId();

    /** The job changed state; {@code job} is the whole job afterwards. */
    record StateChanged(JobView job) implements JobEvent {
        @Override
        public String jobId() {
            return job.id();
        }
    }

    /** A training step finished; published for every step, so listeners throttle. */
    record Progressed(String jobId, JobView.Progress progress) implements JobEvent {
    }

    /** The job was deleted with its checkpoints. */
    record Deleted(String jobId) implements JobEvent {
    }

    /** An epoch finished for every member, with the ensemble's figures. */
    record EpochCompleted(String jobId, JobView.EpochView epoch) implements JobEvent {
    }
}
