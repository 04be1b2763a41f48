package dev.cnnensemble.dataset;

/** A verified dataset in memory: its catalogue entry and both splits. */
public record Dataset(DatasetSpec spec, LabeledImages train, LabeledImages test) {
}
