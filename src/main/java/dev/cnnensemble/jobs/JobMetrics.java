package dev.cnnensemble.jobs;

import dev.cnnensemble.training.EpochReport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * What training records per epoch (Prometheus names in brackets):
 * {@code cnn.training.epoch.duration{architecture}} [cnn_training_epoch_duration_seconds] and
 * {@code cnn.training.images} [cnn_training_images_total]. The gauges are in {@link JobGauges}.
 */
@Component
class JobMetrics {

    private final MeterRegistry registry;

    JobMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void epochCompleted(String architecture, EpochReport report) {
        Timer.builder("cnn.training.epoch.duration").description("Time in optimiser steps per epoch, all members")
                .tag("architecture", architecture).register(registry).record(report.trainingTime());
        Counter.builder("cnn.training.images").description("Training images processed").baseUnit("images")
                .register(registry).increment(report.samplesPerSecond() * report.trainingTime().toNanos() / 1e9);
    }
}
