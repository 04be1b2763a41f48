package dev.cnnensemble.training;

import org.jspecify.annotations.Nullable;

/**
 * A device the backend can train on, as probed at start.
 *
 * @param index      the backend's device number (0 for the CPU)
 * @param capability a GPU's compute capability, e.g. "8.6"; null for the CPU
 * @param problem    why the device cannot train, or null when it can
 */
public record TrainingDevice(Kind kind, int index, String name, @Nullable String capability, @Nullable String problem) {

    public enum Kind { CPU, GPU }

    public static TrainingDevice cpu(int cores) {
        return new TrainingDevice(Kind.CPU, 0, "CPU (" + cores + " cores)", null, null);
    }

    public boolean usable() {
        return problem == null;
    }

    public String label() {
        return kind == Kind.CPU ? "cpu" : "gpu:" + index;
    }
}
