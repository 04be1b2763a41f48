package dev.cnnensemble.model;

/** One row of a network summary: what a layer is, what it outputs and how many parameters it has. */
public record LayerSummary(String name, String type, String outputShape, long parameters) {
}
