package dev.cnnensemble.model;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link BatchNormRelu}'s arithmetic: per channel, one pass for the batch's statistics and one that
 * normalises, scales, shifts and clips; backward, one pass for the two parameter gradients and one
 * for the input's. DL4J's layer with its oneDNN helper and a separate ReLU layer made about a dozen
 * passes and as many OpenMP hand-offs over the same tensor, which made {@code cnn-bn} train at half
 * the baseline's speed (docs/benchmarks.md). Channels are independent, so they are spread over the
 * cores. FP32 only; statistics are summed in double precision, shifted by each channel's first value.
 */
final class BatchNormReluLayer extends BatchNormalization {

    /** Below this many values a pass stays on the calling thread: a hand-off costs more than it saves. */
    private static final int PARALLEL_THRESHOLD = 1 << 15;
    private static final String MEAN = BatchNormalizationParamInitializer.GLOBAL_MEAN;

    /** Training's copies of the last input and of the gradient, kept between steps to spare the garbage collector. */
    private float[] inputs = new float[0];
    private float[] outputs = new float[0];
    private float[] gradients = new float[0];
    private double[] batchMean = new double[0];
    private double[] batchVariance = new double[0];

    BatchNormReluLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Channels-first geometry: {@code [n, c, h, w]}, or {@code [n, c]} as {@code hw = 1}. */
    private record Geometry(int n, int c, int hw) {
        static Geometry of(INDArray array) {
            if (array.rank() != 2 && array.rank() != 4) {
                throw new IllegalStateException("BatchNormRelu takes [n, c] or [n, c, h, w], not rank " + array.rank());
            }
            if (array.dataType() != DataType.FLOAT) {
                throw new IllegalStateException("BatchNormRelu computes in FP32, not " + array.dataType());
            }
            int hw = array.rank() == 4 ? Math.toIntExact(array.size(2) * array.size(3)) : 1;
            return new Geometry(Math.toIntExact(array.size(0)), Math.toIntExact(array.size(1)), hw);
        }

        int length() {
            return n * c * hw;
        }

        int perChannel() {
            return n * hw;
        }

        int offset(int image, int channel) {
            return (image * c + channel) * hw;
        }
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        Geometry g = Geometry.of(input);
        float[] x = training ? inputs = reuse(inputs, g.length()) : new float[g.length()];
        read(input, x);
        float[] gamma = getParam(BatchNormalizationParamInitializer.GAMMA).toFloatVector();
        float[] beta = getParam(BatchNormalizationParamInitializer.BETA).toFloatVector();
        double[] mean;
        double[] variance;
        if (training) {
            batchMean = batchMean.length == g.c() ? batchMean : new double[g.c()];
            batchVariance = batchVariance.length == g.c() ? batchVariance : new double[g.c()];
            mean = batchMean;
            variance = batchVariance;
            forEachChannel(g, c -> moments(x, g, c, mean, variance));
        } else {
            mean = toDoubles(getParam(MEAN));
            variance = runningVariance();
        }
        // Inference normalises in place; training keeps its input for the backward pass.
        float[] y = training ? outputs = reuse(outputs, g.length()) : x;
        forEachChannel(g, c -> {
            float scale = scale(gamma[c], variance[c]);
            float shift = (float) (beta[c] - mean[c] * scale);
            for (int image = 0; image < g.n(); image++) {
                int from = g.offset(image, c);
                for (int i = from; i < from + g.hw(); i++) {
                    y[i] = Math.max(x[i] * scale + shift, 0f);
                }
            }
        });
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, input.shape(), 'c');
        out.data().asNioFloat().put(y);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Geometry g = Geometry.of(epsilon);
        float[] x = inputs;
        float[] dy = gradients = reuse(gradients, g.length());
        read(epsilon, dy);
        float[] gamma = getParam(BatchNormalizationParamInitializer.GAMMA).toFloatVector();
        float[] dGamma = new float[g.c()];
        float[] dBeta = new float[g.c()];
        double count = g.perChannel();
        float[] y = outputs;
        forEachChannel(g, c -> {
            float mean = (float) batchMean[c];
            float invStd = (float) (1 / Math.sqrt(batchVariance[c] + layerConf().getEps()));
            double sumDy = 0;
            double sumDyXMinusMean = 0;
            for (int image = 0; image < g.n(); image++) {
                int from = g.offset(image, c);
                int to = from + g.hw();
                // The ReLU's gradient, without a branch so that it vectorises: 1 where the output is a
                // positive normal float, 0 where it was clipped.
                for (int i = from; i < to; i++) {
                    dy[i] *= Math.min(y[i] * Float.MAX_VALUE, 1f);
                }
                float planeDy = 0;
                float planeDyX = 0;
                for (int i = from; i < to; i++) {
                    planeDy += dy[i];
                    planeDyX += dy[i] * (x[i] - mean);
                }
                sumDy += planeDy;
                sumDyXMinusMean += planeDyX;
            }
            dBeta[c] = (float) sumDy;
            dGamma[c] = (float) (sumDyXMinusMean * invStd);
            float scale = gamma[c] * invStd;
            float meanDy = (float) (sumDy / count);
            float meanDyXHat = (float) (sumDyXMinusMean * invStd / count);
            for (int image = 0; image < g.n(); image++) {
                int from = g.offset(image, c);
                for (int i = from; i < from + g.hw(); i++) {
                    dy[i] = scale * (dy[i] - meanDy - (x[i] - mean) * invStd * meanDyXHat);
                }
            }
        });
        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, assign(BatchNormalizationParamInitializer.GAMMA, dGamma));
        gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, assign(BatchNormalizationParamInitializer.BETA, dBeta));
        runningStatisticGradients(gradient);
        INDArray next = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, epsilon.shape(), 'c');
        next.data().asNioFloat().put(dy);
        return new Pair<>(gradient, next);
    }

    /**
     * The running statistics move towards the batch's as DL4J's layer moves them: through their
     * no-op updater, which subtracts the "gradient" {@code old - new} with
     * {@code new = momentum * old + (1 - momentum) * batch}. The variance is kept without epsilon.
     */
    private void runningStatisticGradients(Gradient gradient) {
        double momentum = layerConf().getDecay();
        double[] mean = toDoubles(getParam(MEAN));
        double[] variance = runningVariance();
        float[] dMean = new float[mean.length];
        float[] dSpread = new float[mean.length];
        for (int c = 0; c < mean.length; c++) {
            dMean[c] = (float) ((1 - momentum) * (mean[c] - batchMean[c]));
            double updated = momentum * variance[c] + (1 - momentum) * batchVariance[c];
            dSpread[c] = (float) (layerConf().isUseLogStd()
                    ? 0.5 * (Math.log10(variance[c]) - Math.log10(updated))
                    : variance[c] - updated);
        }
        gradient.setGradientFor(MEAN, assign(MEAN, dMean));
        String spread = spreadParameter();
        gradient.setGradientFor(spread, assign(spread, dSpread));
    }

    private String spreadParameter() {
        return layerConf().isUseLogStd() ? BatchNormalizationParamInitializer.GLOBAL_LOG_STD : BatchNormalizationParamInitializer.GLOBAL_VAR;
    }

    /** The running variance without epsilon, from whichever form the layer keeps. */
    private double[] runningVariance() {
        double[] spread = toDoubles(getParam(spreadParameter()));
        if (layerConf().isUseLogStd()) {
            for (int c = 0; c < spread.length; c++) {
                spread[c] = Math.pow(10, 2 * spread[c]);
            }
        }
        return spread;
    }

    private float scale(float gamma, double variance) {
        return (float) (gamma / Math.sqrt(variance + layerConf().getEps()));
    }

    /** The channel's mean and population variance, shifted by its first value so that a large mean costs no precision. */
    private static void moments(float[] x, Geometry g, int c, double[] mean, double[] variance) {
        float pivot = x[g.offset(0, c)];
        double sum = 0;
        double squares = 0;
        for (int image = 0; image < g.n(); image++) {
            int from = g.offset(image, c);
            float planeSum = 0;
            float planeSquares = 0;
            for (int i = from; i < from + g.hw(); i++) {
                float d = x[i] - pivot;
                planeSum += d;
                planeSquares += d * d;
            }
            sum += planeSum;
            squares += planeSquares;
        }
        double count = g.perChannel();
        double shiftedMean = sum / count;
        mean[c] = pivot + shiftedMean;
        variance[c] = Math.max(squares / count - shiftedMean * shiftedMean, 0);
    }

    private INDArray assign(String parameter, float[] values) {
        INDArray view = gradientViews.get(parameter);
        view.assign(org.nd4j.linalg.factory.Nd4j.createFromArray(values).reshape(view.shape()));
        return view;
    }

    private static void forEachChannel(Geometry g, IntConsumer channel) {
        IntStream channels = IntStream.range(0, g.c());
        (g.length() >= PARALLEL_THRESHOLD ? channels.parallel() : channels).forEach(channel);
    }

    private static void read(INDArray array, float[] into) {
        INDArray dense = array.ordering() == 'c' && !array.isView() ? array : array.dup('c');
        dense.data().asNioFloat().get(into, 0, into.length);
    }

    private static float[] reuse(float[] buffer, int length) {
        return buffer.length == length ? buffer : new float[length];
    }

    private static double[] toDoubles(INDArray vector) {
        return vector.castTo(DataType.DOUBLE).toDoubleVector();
    }
}
