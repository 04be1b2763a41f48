package dev.cnnensemble.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnensemble.dataset.LabeledImages;
import dev.cnnensemble.dataset.RealData;
import dev.cnnensemble.dataset.RequiresMnist;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link BatchNormRelu} against DL4J's own batch norm followed by a ReLU layer, on real digits: the
 * same outputs in training and in inference mode, the same gradients, and the same running
 * statistics after a step, for a convolutional and a dense batch norm.
 */
@RequiresMnist
class BatchNormReluTest {

    private static final double MOMENTUM = 0.9;
    private static final double EPSILON = 1e-3;

    private final LabeledImages images = RealData.mnist().train().first(64);
    private final INDArray features = DigitArrays.features(images);
    private final INDArray labels = DigitArrays.labels(images);

    @Test
    void trainingModeGivesDl4jsOutputsAndGradients() {
        MultiLayerNetwork reference = network(false);
        MultiLayerNetwork fused = sameParameters(network(true), reference);

        assertClose(fused.output(features, true), reference.output(features, true), 1e-5);

        Map<String, INDArray> expected = gradients(reference);
        Map<String, INDArray> actual = gradients(fused);
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((parameter, gradient) -> assertThat(difference(actual.get(parameter), gradient))
                .as("gradient of %s", parameter).isLessThan(5e-4 * Math.max(1, maxAbs(gradient))));
    }

    @Test
    void aStepMovesTheRunningStatisticsAsDl4jDoesAndInferenceModeAgrees() {
        MultiLayerNetwork reference = network(false);
        MultiLayerNetwork fused = sameParameters(network(true), reference);

        for (int step = 0; step < 3; step++) {
            reference.fit(features, labels);
            fused.fit(features, labels);
        }

        assertThat(difference(fused.params(), reference.params())).as("parameters after three steps").isLessThan(1e-4);
        assertClose(fused.output(features, false), reference.output(features, false), 1e-3);
    }

    @Test
    void aSavedNetworkLoadsBackWithItsFusedLayers(@TempDir Path dir) throws IOException {
        MultiLayerNetwork fused = network(true);
        fused.fit(features, labels);
        File file = Files.createFile(dir.resolve("bn-relu.zip")).toFile();
        ModelSerializer.writeModel(fused, file, true);

        MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(file, true);

        assertThat(loaded.getLayer(1)).isInstanceOf(BatchNormReluLayer.class);
        assertThat(loaded.getLayerWiseConfigurations().getConf(1).getLayer()).isInstanceOf(BatchNormRelu.class);
        assertClose(loaded.output(features, false), fused.output(features, false), 0);
    }

    /**
     * conv 3x3 (8) -> batch norm -> ReLU -> max pool -> dense 16 -> batch norm -> ReLU -> logits. Plain
     * SGD: the biases before a batch norm get gradients of rounding noise alone, which SGD keeps as
     * small as they are and Adam would scale up to full steps.
     */
    private static MultiLayerNetwork network(boolean fusedLayers) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
                .updater(new Sgd(0.05)).weightInit(WeightInit.XAVIER).convolutionMode(ConvolutionMode.Same).list();
        list.layer(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.IDENTITY).build());
        addBatchNormRelu(list, fusedLayers);
        list.layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build());
        list.layer(new DenseLayer.Builder().nOut(16).activation(Activation.IDENTITY).build());
        addBatchNormRelu(list, fusedLayers);
        list.layer(new DenseLayer.Builder().nOut(10).activation(Activation.IDENTITY).build());
        list.layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build());
        MultiLayerNetwork network = new MultiLayerNetwork(list.setInputType(NetworkFactory.INPUT_TYPE).build());
        network.init();
        return network;
    }

    private static void addBatchNormRelu(NeuralNetConfiguration.ListBuilder list, boolean fused) {
        if (fused) {
            list.layer(BatchNormRelu.of("bn", MOMENTUM, EPSILON));
        } else {
            list.layer(new BatchNormalization.Builder().decay(MOMENTUM).eps(EPSILON).build());
            list.layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
        }
    }

    /** The ReLU layers have no parameters, so both networks flatten theirs in the same order. */
    private static MultiLayerNetwork sameParameters(MultiLayerNetwork fused, MultiLayerNetwork reference) {
        assertThat(fused.numParams()).isEqualTo(reference.numParams());
        fused.setParams(reference.params().dup());
        return fused;
    }

    /** Gradients by parameter, keyed by their place and name without the layer index, which the ReLU layers shift. */
    private Map<String, INDArray> gradients(MultiLayerNetwork network) {
        network.setInput(features);
        network.setLabels(labels);
        network.computeGradientAndScore();
        Map<String, INDArray> byParameter = new java.util.TreeMap<>();
        int[] order = {0};
        network.gradient().gradientForVariable().forEach((key, value) -> byParameter.put(
                String.format("%02d_%s", order[0]++, key.substring(key.indexOf('_') + 1)), value.dup()));
        return byParameter;
    }

    private static double difference(INDArray actual, INDArray expected) {
        return maxAbs(actual.sub(expected));
    }

    private static double maxAbs(INDArray values) {
        return Transforms.abs(values).maxNumber().doubleValue();
    }

    private static void assertClose(INDArray actual, INDArray expected, double tolerance) {
        assertThat(difference(actual, expected)).isLessThanOrEqualTo(tolerance);
    }
}
