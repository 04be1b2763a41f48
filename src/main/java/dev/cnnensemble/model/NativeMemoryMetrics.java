package dev.cnnensemble.model;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.function.Supplier;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.memory.AllocationsTracker;
import org.nd4j.linalg.api.memory.enums.AllocationKind;
import org.springframework.stereotype.Component;

/**
 * Native memory as JavaCPP and ND4J see it, read at scrape time (Prometheus names in brackets):
 * {@code cnn.native.memory{kind}} [cnn_native_memory_bytes] and its limits,
 * {@code cnn.native.memory.max{kind}} [cnn_native_memory_max_bytes]. The kinds:
 * <ul>
 * <li>{@code physical}: the process's resident memory (heap included), the figure that
 * {@code org.bytedeco.javacpp.maxphysicalbytes} bounds: past it, an allocation first runs a GC, then
 * fails with an OutOfMemoryError;</li>
 * <li>{@code workspaces}: DL4J's workspaces (training and inference activations), which ND4J counts;</li>
 * <li>{@code javacpp}: what JavaCPP allocated and tracks, bounded by {@code org.bytedeco.javacpp.maxbytes}.
 * ND4J 1.0.0-M2.1 allocates its arrays in libnd4j, outside this count, so it stays near zero.</li>
 * </ul>
 */
@Component
class NativeMemoryMetrics implements MeterBinder {

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "cnn.native.memory", "physical", Pointer::physicalBytes, "Resident memory of the process, as JavaCPP measures it");
        gauge(registry, "cnn.native.memory", "workspaces",
                () -> AllocationsTracker.getInstance().bytesOnDevice(AllocationKind.WORKSPACE, 0), "Memory of DL4J's workspaces");
        gauge(registry, "cnn.native.memory", "javacpp", Pointer::totalBytes, "Memory that JavaCPP allocated and tracks");
        gauge(registry, "cnn.native.memory.max", "physical", Pointer::maxPhysicalBytes, "org.bytedeco.javacpp.maxphysicalbytes");
        gauge(registry, "cnn.native.memory.max", "javacpp", Pointer::maxBytes, "org.bytedeco.javacpp.maxbytes");
    }

    private static void gauge(MeterRegistry registry, String name, String kind, Supplier<Number> bytes, String description) {
        Gauge.builder(name, bytes).tag("kind", kind).baseUnit("bytes").description(description).register(registry);
    }
}
