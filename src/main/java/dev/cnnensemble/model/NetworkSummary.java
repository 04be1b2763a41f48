package dev.cnnensemble.model;

import java.util.List;

/** A network's layers and parameter count, free of DL4J types so the web layer can show it. */
public record NetworkSummary(Architecture architecture, String graphType, List<LayerSummary> layers, long totalParameters) {

    /** A printable table in the style of Keras' {@code model.summary()}. */
    public String toTable() {
        StringBuilder out = new StringBuilder(String.format("Model: %s (%s)%n", architecture, graphType));
        out.append(String.format("%-28s %-22s %-18s %12s%n", "Layer", "Type", "Output shape", "Param #"));
        for (LayerSummary layer : layers) {
            out.append(String.format("%-28s %-22s %-18s %,12d%n", layer.name(), layer.type(), layer.outputShape(), layer.parameters()));
        }
        return out.append(String.format("Total params: %,d%n", totalParameters)).toString();
    }
}
