package dev.cnnensemble.jobs;

import dev.cnnensemble.training.MemberEpoch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

import org.springframework.stereotype.Component;

/**
 * What training records per member epoch, on the replica that trained it (Prometheus names in
 * brackets): {@code cnn.training.epoch.duration{architecture}} [cnn_training_epoch_duration_seconds]
 * and {@code cnn.training.images} [cnn_training_images_total]. The gauges are in {@link JobGauges}.
 */
@Component
class JobMetrics {

    private final MeterRegistry registry;

    JobMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void memberEpoch(String architecture, MemberEpoch epoch) {
        Timer.builder("cnn.training.epoch.duration").description("Time in optimiser steps per member epoch")
                .tag("architecture", architecture).register(registry).record(Duration.ofNanos((long) (epoch.trainingSeconds() * 1e9)));
        Counter.builder("cnn.training.images").description("Training images processed").baseUnit("images")
                .register(registry).increment(epoch.samples());
    }
}
