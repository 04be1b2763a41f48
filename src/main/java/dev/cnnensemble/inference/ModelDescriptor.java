package dev.cnnensemble.inference;

import dev.cnnensemble.model.Architecture;

/** What an engine needs to load a trained ensemble: the job that trained it and its shape. */
public record ModelDescriptor(String id, Architecture architecture, int ensembleSize) {
}
