package dev.cnnensemble.jobs;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Arrays;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Gauges read from the database at scrape time, so every replica reports the cluster (Prometheus
 * names in brackets): {@code cnn.jobs{state}} [cnn_jobs], {@code cnn.jobs.queue.depth}
 * [cnn_jobs_queue_depth], member tasks waiting for a worker, and {@code cnn.training.throughput},
 * the images/s of every running member [cnn_training_throughput_images_per_second].
 */
@Component
class JobGauges implements MeterBinder {

    private final JobQueries queries;
    private final MemberProgressStore progress;
    private final JdbcClient jdbc;

    JobGauges(JobQueries queries, MemberProgressStore progress, JdbcClient jdbc) {
        this.queries = queries;
        this.progress = progress;
        this.jdbc = jdbc;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Arrays.stream(JobState.values()).forEach(state -> Gauge.builder("cnn.jobs", () -> queries.countByState(state))
                .description("Jobs by state").tag("state", state.name()).register(registry));
        Gauge.builder("cnn.jobs.queue.depth", () -> jdbc.sql("SELECT COUNT(*) FROM member_task WHERE state = 'QUEUED'").query(Long.class).single())
                .description("Member tasks waiting for a worker").register(registry);
        Gauge.builder("cnn.training.throughput", progress::throughput)
                .baseUnit("images.per.second").description("Training images per second, all running members together").register(registry);
    }
}
