package dev.cnnensemble.model;

import java.io.IOException;
import java.nio.file.Path;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds the tutorial's networks for 28x28x1 inputs, with as many outputs as the dataset has classes.
 *
 * <p>Translation notes from Keras: the last dense layer emits raw logits and a parameter-free
 * softmax cross-entropy {@link LossLayer} follows, so the logits stay reachable for ensemble
 * averaging. DL4J's {@code dropOut(p)} is the probability to <em>retain</em> the layer's
 * <em>input</em>, so Keras' {@code Dropout(0.4)} after dense 256 is {@code dropOut(0.6)} on the
 * logits layer. Keras initialises with Glorot-uniform (DL4J's XAVIER_UNIFORM); the batch-norm
 * variant asks for Glorot-normal (DL4J's XAVIER) and Keras' batch-norm momentum and epsilon.
 */
public final class NetworkFactory {

    /** The classes of the built-in datasets (digits, Fashion-MNIST's articles), and of the architectures' summaries. */
    public static final int CLASSES = 10;
    /** Grayscale, one channel, given as flat rows. */
    static final InputType INPUT_TYPE = InputType.convolutionalFlat(InputShape.SIDE, InputShape.SIDE, 1);

    /** Keras' batch-norm momentum; DL4J calls it decay. */
    public static final double KERAS_BN_MOMENTUM = 0.99;
    private static final double DROPOUT_RATE = 0.4;
    private static final double BN_EPSILON = 1e-3;
    private static final String INPUT = "input";
    private static final String LOSS = "softmax_xent";

    static {
        OneDnn.enableHelpersUnlessConfigured();
    }

    private NetworkFactory() {
    }

    /** A new, initialised network of the given architecture for 10 classes, in its natural form, with Keras' defaults. */
    public static Network create(Architecture architecture, long seed, IUpdater updater) {
        return create(architecture, CLASSES, seed, updater, KERAS_BN_MOMENTUM);
    }

    /**
     * A network with {@code classes} outputs. {@code batchNormMomentum} is that of {@code cnn-bn}: the
     * weight the running mean and variance keep per step. At 0.99 they need several hundred steps to
     * forget their initial 0 and 1; precise batch norm recalibrates them before every evaluation.
     */
    public static Network create(Architecture architecture, int classes, long seed, IUpdater updater, double batchNormMomentum) {
        return switch (architecture) {
            case CNN -> sequential(architecture, baseline(classes, seed, updater, WeightInit.XAVIER_UNIFORM, 0));
            case CNN_BN -> sequential(architecture, baseline(classes, seed, updater, WeightInit.XAVIER, batchNormMomentum));
            case RESNET -> graph(architecture, residual(classes, seed, updater));
        };
    }

    /** Restores a network saved by {@link Network#save}, with its updater state. */
    public static Network load(Architecture architecture, Path file) throws IOException {
        return architecture == Architecture.RESNET ? GraphNetwork.load(architecture, file) : SequentialNetwork.load(architecture, file);
    }

    private static NeuralNetConfiguration.Builder common(long seed, IUpdater updater, WeightInit init) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(updater)
                .weightInit(init)
                .convolutionMode(ConvolutionMode.Same)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED);
    }

    /** The baseline; with batch norm after every convolution and the dense layer when {@code bnMomentum > 0}. */
    private static MultiLayerConfiguration baseline(int classes, long seed, IUpdater updater, WeightInit init, double bnMomentum) {
        boolean batchNorm = bnMomentum > 0;
        ListBuilder list = common(seed, updater, init).list();
        int[] filters = {32, 64, 128};
        for (int i = 0; i < filters.length; i++) {
            int block = i + 1;
            if (batchNorm) {
                list.layer(new ConvolutionLayer.Builder(3, 3).nOut(filters[i]).activation(Activation.IDENTITY).name("conv" + block).build());
                list.layer(BatchNormRelu.of("bn" + block, bnMomentum, BN_EPSILON));
            } else {
                list.layer(new ConvolutionLayer.Builder(3, 3).nOut(filters[i]).activation(Activation.RELU).name("conv" + block).build());
            }
            list.layer(pool("pool" + block));
        }
        if (batchNorm) {
            list.layer(new DenseLayer.Builder().nOut(256).activation(Activation.IDENTITY).name("dense").build());
            list.layer(BatchNormRelu.of("bn_dense", bnMomentum, BN_EPSILON));
        } else {
            list.layer(new DenseLayer.Builder().nOut(256).activation(Activation.RELU).name("dense").build());
        }
        list.layer(logitsLayer(classes));
        list.layer(lossLayer(classes));
        return list.setInputType(INPUT_TYPE).build();
    }

    /**
     * The baseline with the tutorial's bottleneck block (1x1, 3x3, 1x1 with a 4x narrower middle,
     * identity skip, then ReLU) inserted after the second convolution, at 14x14x64.
     */
    private static ComputationGraph residual(int classes, long seed, IUpdater updater) {
        ComputationGraphConfiguration.GraphBuilder g = common(seed, updater, WeightInit.XAVIER_UNIFORM).graphBuilder()
                .addInputs(INPUT).setInputTypes(INPUT_TYPE);
        String pool1 = convPool(g, 1, INPUT);
        g.addLayer("conv2", conv(64, Activation.RELU), pool1)
                .addLayer("res_reduce", new ConvolutionLayer.Builder(1, 1).nOut(16).activation(Activation.RELU).build(), "conv2")
                .addLayer("res_conv", conv(16, Activation.RELU), "res_reduce")
                .addLayer("res_expand", new ConvolutionLayer.Builder(1, 1).nOut(64).activation(Activation.IDENTITY).build(), "res_conv")
                .addVertex("res_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "res_expand", "conv2")
                .addLayer("res_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "res_add")
                .addLayer("pool2", pool(null), "res_relu");
        String pool3 = convPool(g, 3, "pool2");
        g.addLayer("dense", new DenseLayer.Builder().nOut(256).activation(Activation.RELU).build(), pool3);
        head(g, "dense", classes);
        return new ComputationGraph(g.build());
    }

    private static String convPool(ComputationGraphConfiguration.GraphBuilder g, int block, String input) {
        int filters = 16 << block;
        g.addLayer("conv" + block, conv(filters, Activation.RELU), input)
                .addLayer("pool" + block, pool(null), "conv" + block);
        return "pool" + block;
    }

    private static void head(ComputationGraphConfiguration.GraphBuilder g, String input, int classes) {
        g.addLayer(Network.LOGITS, logitsLayer(classes), input)
                .addLayer(LOSS, lossLayer(classes), Network.LOGITS)
                .setOutputs(LOSS);
    }

    private static ConvolutionLayer conv(int filters, Activation activation) {
        return new ConvolutionLayer.Builder(3, 3).nOut(filters).activation(activation).build();
    }

    private static SubsamplingLayer pool(String name) {
        return new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).name(name).build();
    }

    private static DenseLayer logitsLayer(int classes) {
        return new DenseLayer.Builder().nOut(classes).activation(Activation.IDENTITY).dropOut(1 - DROPOUT_RATE).name(Network.LOGITS).build();
    }

    /**
     * The loss passes its input through, but its builder refuses an nOut and leaves it 0, so DL4J would
     * give the layer an output of size 0 and warn about it; the built layer gets its true size.
     */
    private static LossLayer lossLayer(int classes) {
        LossLayer loss = new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).name(LOSS).build();
        loss.setNOut(classes);
        return loss;
    }

    private static Network sequential(Architecture architecture, MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return new SequentialNetwork(architecture, net);
    }

    private static Network graph(Architecture architecture, ComputationGraph graph) {
        graph.init();
        return new GraphNetwork(architecture, graph);
    }
}
