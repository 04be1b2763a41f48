package dev.cnnensemble.jobs;

import dev.cnnensemble.training.EpochReport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Arrays;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;

/**
 * The jobs' Micrometer meters (Prometheus names in brackets):
 * {@code cnn.jobs{state}} [cnn_jobs], {@code cnn.jobs.queue.depth} [cnn_jobs_queue_depth],
 * {@code cnn.training.throughput} images/s now [cnn_training_throughput_images_per_second],
 * {@code cnn.training.images} trained [cnn_training_images_total] and
 * {@code cnn.training.epoch.duration{architecture}} [cnn_training_epoch_duration_seconds].
 */
@Component
class JobMetrics {

    private final MeterRegistry registry;

    JobMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers the gauges that read the service's state; called once it exists. */
    void bind(JobService service) {
        Arrays.stream(JobState.values()).forEach(state -> Gauge.builder("cnn.jobs", () -> service.countByState(state))
                .description("Jobs by state").tag("state", state.name()).register(registry));
        Gauge.builder("cnn.jobs.queue.depth", service::queueDepth).description("Jobs waiting for a worker").register(registry);
        Supplier<Number> throughput = () -> service.liveProgress().values().stream()
                .mapToDouble(p -> p.samplesPerSecond() == null ? 0 : p.samplesPerSecond()).sum();
        Gauge.builder("cnn.training.throughput", throughput).baseUnit("images.per.second")
                .description("Training images per second, all running jobs together").register(registry);
    }

    void epochCompleted(String architecture, EpochReport report) {
        Timer.builder("cnn.training.epoch.duration").description("Time in optimiser steps per epoch, all members")
                .tag("architecture", architecture).register(registry).record(report.trainingTime());
        Counter.builder("cnn.training.images").description("Training images processed").baseUnit("images")
                .register(registry).increment(report.samplesPerSecond() * report.trainingTime().toNanos() / 1e9);
    }
}
