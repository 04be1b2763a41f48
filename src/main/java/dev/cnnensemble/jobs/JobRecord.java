package dev.cnnensemble.jobs;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;

/**
 * A job as stored. The effective training configuration is kept as JSON so that a job resumes
 * with exactly what it was accepted with, whatever the defaults are by then.
 */
public class JobRecord {

    @Id
    String id;
    @Version
    Long version;
    String name;
    JobState state;
    String idempotencyKey;
    String configJson;
    Instant createdAt;
    Instant startedAt;
    Instant finishedAt;
    Instant updatedAt;
    String error;
    /** How many times a worker has started the job: more than 1 after a resume. */
    int attempts;
    /** Where the latest attempt picked up: its first epoch, and the steps already in checkpoints. */
    Integer resumedAtEpoch;
    Long resumedAtStep;
    Double progressPercent;
    Integer currentMember;
    Integer currentEpoch;
    Integer currentStep;
    Integer stepsPerEpoch;
    Double samplesPerSecond;
    Long etaSeconds;

    public String getId() {
        return id;
    }

    public JobState getState() {
        return state;
    }
}
