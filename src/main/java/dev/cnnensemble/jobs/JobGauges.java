package dev.cnnensemble.jobs;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Arrays;

import org.springframework.stereotype.Component;

/**
 * Gauges read at scrape time (Prometheus names in brackets): {@code cnn.jobs{state}} [cnn_jobs],
 * {@code cnn.jobs.queue.depth} [cnn_jobs_queue_depth] and {@code cnn.training.throughput}, the
 * images/s of all running jobs [cnn_training_throughput_images_per_second].
 */
@Component
class JobGauges implements MeterBinder {

    private final JobService service;

    JobGauges(JobService service) {
        this.service = service;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Arrays.stream(JobState.values()).forEach(state -> Gauge.builder("cnn.jobs", () -> service.countByState(state))
                .description("Jobs by state").tag("state", state.name()).register(registry));
        Gauge.builder("cnn.jobs.queue.depth", service::queueDepth).description("Jobs waiting for a worker").register(registry);
        Gauge.builder("cnn.training.throughput", () -> service.liveProgress().values().stream()
                        .mapToDouble(p -> p.samplesPerSecond() == null ? 0 : p.samplesPerSecond()).sum())
                .baseUnit("images.per.second").description("Training images per second, all running jobs together").register(registry);
    }
}
