package dev.cnnensemble.jobs;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** The health details of this replica's training: its workers, its devices, and what keeps any out. */
@Component("training")
class TrainingHealth implements HealthIndicator {

    private final WorkerThreads workers;
    private final JobsProperties properties;

    TrainingHealth(WorkerThreads workers, JobsProperties properties) {
        this.workers = workers;
        this.properties = properties;
    }

    @Override
    public Health health() {
        WorkerPlan plan = workers.plan();
        return Health.up()
                .withDetail("enabled", properties.enabled())
                .withDetail("replica", workers.replica())
                .withDetail("workers", plan.size())
                .withDetail("devices", plan.devices().stream().map(d -> d.label() + " " + d.name() + (d.usable() ? "" : " (unusable)")).toList())
                .withDetail("problems", plan.problems())
                .build();
    }
}
