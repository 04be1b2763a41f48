package dev.cnnensemble.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The network families of the tutorial. */
public enum Architecture {

    /** Three conv-pool blocks, dense 256, dropout 0.4, dense 10: 619,786 parameters. */
    CNN("cnn"),
    /** The same blocks as conv, batch norm, ReLU with Xavier-normal initialisation. */
    CNN_BN("cnn-bn"),
    /** The baseline with the tutorial's bottleneck residual block, as a ComputationGraph. */
    RESNET("resnet");

    private final String id;

    Architecture(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static Architecture fromId(String id) {
        return Arrays.stream(values()).filter(a -> a.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown architecture '" + id + "'; expected one of "
                        + Arrays.stream(values()).map(Architecture::id).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return id;
    }
}
