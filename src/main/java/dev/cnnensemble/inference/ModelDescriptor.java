package dev.cnnensemble.inference;

import dev.cnnensemble.model.Architecture;

import java.util.List;

/**
 * What an engine needs to load a trained ensemble (the job that trained it and its shape), and what
 * its outputs mean.
 *
 * @param dataset    the dataset it was trained on
 * @param classNames that dataset's name for each label, by label
 */
public record ModelDescriptor(String id, Architecture architecture, int ensembleSize, String dataset, List<String> classNames) {
}
