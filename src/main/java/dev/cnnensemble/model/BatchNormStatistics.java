package dev.cnnensemble.model;

import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The exact per-channel mean and variance of a batch-norm layer's inputs, summed in double precision
 * over batches, then written as the layer's running statistics ("precise BN", Wu and Johnson 2021).
 * Variance is the population's, as DL4J computes a batch's.
 */
final class BatchNormStatistics {

    private INDArray sum;
    private INDArray sumOfSquares;
    private long count;

    /** Adds a batch of the layer's inputs: {@code [batch, channels, height, width]} or {@code [batch, features]}. */
    void add(INDArray inputs) {
        INDArray x = inputs.castTo(DataType.DOUBLE);
        int[] overAllButChannels = x.rank() == 4 ? new int[]{0, 2, 3} : new int[]{0};
        INDArray batchSum = x.sum(overAllButChannels);
        INDArray batchSquares = x.muli(x).sum(overAllButChannels);
        sum = sum == null ? batchSum : sum.addi(batchSum);
        sumOfSquares = sumOfSquares == null ? batchSquares : sumOfSquares.addi(batchSquares);
        count += x.length() / x.size(1);
    }

    /**
     * Writes the statistics where the layer reads them in inference mode: the variance, or (DL4J's
     * default) log10 of the standard deviation. M2.1 keeps both without epsilon and adds it when it
     * normalises; PreciseBatchNormTest holds this to what training mode computes.
     */
    void writeTo(BatchNormalization layer) {
        if (count == 0) {
            throw new IllegalStateException("no inputs were added");
        }
        org.deeplearning4j.nn.conf.layers.BatchNormalization conf = (org.deeplearning4j.nn.conf.layers.BatchNormalization) layer.conf().getLayer();
        INDArray mean = sum.div(count);
        INDArray variance = Transforms.max(sumOfSquares.div(count).subi(mean.mul(mean)), 0.0, false);
        assign(layer, BatchNormalizationParamInitializer.GLOBAL_MEAN, mean);
        if (conf.isUseLogStd()) {
            assign(layer, BatchNormalizationParamInitializer.GLOBAL_LOG_STD, Transforms.log(Transforms.sqrt(variance, false), 10.0, false));
        } else {
            assign(layer, BatchNormalizationParamInitializer.GLOBAL_VAR, variance);
        }
    }

    private static void assign(BatchNormalization layer, String param, INDArray values) {
        INDArray target = layer.getParam(param);
        target.assign(values.castTo(target.dataType()).reshape(target.shape()));
    }
}
