package dev.cnnensemble.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One trainable member, hiding whether DL4J built it as a MultiLayerNetwork or a ComputationGraph.
 * Features are flat {@code [batch, InputShape.PIXELS]} rows scaled to 0..1; labels are one-hot {@code [batch, classes]}.
 * Not thread-safe, like the DL4J network it wraps: one thread uses an instance at a time.
 */
public sealed interface Network permits Dl4jNetwork {

    /** The vertex whose activations are the logits, before the softmax of the loss layer. */
    String LOGITS = "logits";

    Architecture architecture();

    /** One optimiser step on a minibatch. */
    void fit(INDArray features, INDArray labels);

    /** The mean softmax cross-entropy of the last minibatch passed to {@link #fit}. */
    double lastLoss();

    /** Logits in inference mode (no dropout, batch norm on its running statistics). */
    INDArray logits(INDArray features);

    /**
     * Sets every batch-norm layer's running mean and variance to the exact statistics of its inputs
     * over these batches, in inference mode and in order, so that each layer sees what the layers
     * before it serve. Afterwards the network serves what it is evaluated with, whatever its momentum
     * and however few steps it took. A network without batch norm neither changes nor asks for the batches.
     */
    void recalibrateBatchNorm(Supplier<List<INDArray>> featureBatches);

    long parameterCount();

    /** The values every layer outputs for one image: what a forward pass holds per image in memory. */
    long activationsPerImage();

    /** Optimiser steps taken so far; the learning-rate schedule is a function of it. */
    int iteration();

    /** Counts one more completed epoch; the count is saved with the model. */
    void markEpochDone();

    NetworkSummary summary();

    /** Writes the model with its updater (Adam moments) and counters, so training can continue from it. */
    void save(Path file) throws IOException;

    List<Layer> layers();

    /** Frees the parameters' and updater's native memory now rather than at garbage collection. */
    void close();

    /**
     * The layers that DL4J M2.1 can run through a oneDNN helper (convolution, pooling, batch norm) but
     * that hold none: each one runs DL4J's much slower built-in code. Empty when every one has it.
     * {@link BatchNormRelu} does its own arithmetic and never calls the helper it inherits.
     */
    default List<String> layersWithoutOneDnn() {
        List<String> missing = new ArrayList<>();
        for (Layer layer : layers()) {
            Object helper;
            if (layer instanceof ConvolutionLayer convolution) {
                helper = convolution.getHelper();
            } else if (layer instanceof SubsamplingLayer pooling) {
                helper = pooling.getHelper();
            } else if (layer instanceof BatchNormalization batchNorm && !(layer instanceof BatchNormReluLayer)) {
                helper = batchNorm.getHelper();
            } else {
                continue;
            }
            if (helper == null || !helper.getClass().getSimpleName().startsWith("MKLDNN")) {
                missing.add(layer.conf().getLayer().getLayerName());
            }
        }
        return missing;
    }
}
