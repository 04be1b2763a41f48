package dev.cnnensemble.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

class NativeMemoryMetricsTest {

    @Test
    void reportsTheProcessAndItsLimitInBytes() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new NativeMemoryMetrics().bindTo(registry);

        double physical = registry.get("cnn.native.memory").tag("kind", "physical").gauge().value();
        assertThat(physical).as("the process's resident bytes").isGreaterThan(1 << 20);
        assertThat(registry.get("cnn.native.memory").tag("kind", "workspaces").gauge().value()).isNotNegative();
        assertThat(registry.get("cnn.native.memory").tag("kind", "javacpp").gauge().value()).isNotNegative();
        assertThat(registry.get("cnn.native.memory.max").tag("kind", "physical").gauge().value()).isEqualTo(Pointer.maxPhysicalBytes());
        assertThat(registry.get("cnn.native.memory").gauge().getId().getBaseUnit()).isEqualTo("bytes");
    }
}
