package dev.cnnensemble.model;

import java.util.Collection;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch norm and the ReLU after it, as one layer: the tutorial's {@code ConvBNRelu} and
 * {@code DenseBNRelu} minus their convolution. Its parameters, their updaters and the running
 * statistics are DL4J's {@link BatchNormalization}'s, so a network saves, loads and recalibrates as
 * with DL4J's layer; only the arithmetic is {@link BatchNormReluLayer}'s. Channels first only.
 */
public class BatchNormRelu extends BatchNormalization {

    /** For Jackson, which reads a saved network's configuration back. */
    public BatchNormRelu() {
    }

    /** With DL4J's defaults for everything but the momentum (DL4J's decay) and epsilon. */
    static BatchNormRelu of(String name, double momentum, double epsilon) {
        BatchNormalization defaults = new BatchNormalization.Builder().build();
        BatchNormRelu layer = new BatchNormRelu();
        layer.setLayerName(name);
        layer.setDecay(momentum);
        layer.setEps(epsilon);
        layer.setMinibatch(defaults.isMinibatch());
        layer.setGamma(defaults.getGamma());
        layer.setBeta(defaults.getBeta());
        layer.setUseLogStd(defaults.isUseLogStd());
        layer.setCudnnAllowFallback(defaults.isCudnnAllowFallback());
        layer.setCnn2DFormat(CNN2DFormat.NCHW);
        layer.setActivationFn(new ActivationReLU());
        return layer;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        if (isLockGammaBeta() || getCnn2DFormat() == CNN2DFormat.NHWC) {
            throw new IllegalArgumentException("BatchNormRelu learns gamma and beta, on channels-first inputs");
        }
        BatchNormReluLayer layer = new BatchNormReluLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> parameters = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(parameters);
        layer.setConf(conf);
        return layer;
    }
}
