package dev.cnnensemble.bench;

import dev.cnnensemble.model.Architecture;
import dev.cnnensemble.model.Network;
import dev.cnnensemble.model.NetworkFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The tuning study's in-process variants of the baseline CNN: the service's network as built (and
 * its batch-norm variant, {@code service-bn}), then with workspaces off, in NHWC, and in bf16; each trained for a few steps and timed at batch 1, 32
 * and 256. Knobs that are process-wide (oneDNN helpers, OpenMP threads, the AVX-512 build, the JVM's
 * heap and GC) are set per JVM by {@code bench/tune}. Prints one line per variant.
 * Arguments: data-dir variant[,variant...] seconds
 */
public final class TuneBench {

    private TuneBench() {
    }

    public static void main(String[] args) {
        Workload workload = Workload.load(Path.of(args[0]).resolve("datasets/mnist"), 6000);
        double seconds = Double.parseDouble(args[2]);
        for (String variant : args[1].split(",")) {
            MultiLayerNetwork net = switch (variant) {
                case "service" -> service(Architecture.CNN);
                case "service-bn" -> service(Architecture.CNN_BN);
                case "workspaces-none" -> {
                    MultiLayerNetwork n = service(Architecture.CNN);
                    n.getLayerWiseConfigurations().setTrainingWorkspaceMode(WorkspaceMode.NONE);
                    n.getLayerWiseConfigurations().setInferenceWorkspaceMode(WorkspaceMode.NONE);
                    yield n;
                }
                case "nhwc" -> nhwc();
                case "bf16", "omp1-inference" -> service(Architecture.CNN);
                default -> throw new IllegalArgumentException(variant);
            };
            boolean nhwc = variant.equals("nhwc");
            // bench/profile profiles one phase at a time.
            String only = System.getProperty("tune.only", "");
            Measure.Training trained = Measure.train((pixels, labels, count) -> net.fit(features(pixels, count, nhwc), oneHot(labels)),
                    (pixels, count) -> logits(net, features(pixels, count, nhwc)), workload, only.equals("infer") || only.equals("latency") ? 0 : only.equals("train") ? 4 : 2, 100);
            // DL4J M2.1 cannot train in bf16 (relu_bp fails), so bf16 is tried for inference, on the weights trained in fp32.
            MultiLayerNetwork served = variant.equals("bf16") ? net.convertDataType(DataType.BFLOAT16) : net;
            if (variant.equals("omp1-inference")) {
                // OpenMP's thread count is a per-thread setting: trained with all cores, inference on one.
                NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
            }
            DataType type = served.params().dataType();
            double accuracy = Measure.accuracy((pixels, count) -> logits(served, features(pixels, count, nhwc).castTo(type)), workload.test());
            List<String> cells = new ArrayList<>();
            int[] batches = switch (only) {
                case "train" -> new int[0];
                case "infer" -> new int[]{256};
                case "latency" -> new int[]{1};
                default -> new int[]{1, 32, 256};
            };
            for (int batch : batches) {
                Measure.Timing i = Measure.inference((pixels, count) -> logits(served, features(pixels, count, nhwc).castTo(type)),
                        workload.test(), batch, seconds);
                cells.add(String.format("b%d %.0f img/s p50 %.2f p99 %.2f", batch, i.imagesPerSecond(), i.p50Millis(), i.p99Millis()));
            }
            if (variant.equals("omp1-inference")) {
                // Whether the setting stayed with this thread: train again on another one.
                double[] rate = new double[1];
                Thread other = new Thread(() -> rate[0] = Measure.train((pixels, labels, count) -> net.fit(features(pixels, count, false), oneHot(labels)),
                        (pixels, count) -> logits(net, features(pixels, count, false)), workload, 1, 100).epochImagesPerSecond().get(0));
                other.start();
                try {
                    other.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                cells.add(String.format("then training on another thread %.0f img/s", rate[0]));
            }
            System.out.printf("%-16s train %.0f img/s (2nd epoch of 6,000), test accuracy %.4f | %s%n", variant,
                    trained.epochImagesPerSecond().size() > 1 ? trained.epochImagesPerSecond().get(1) : Double.NaN, accuracy, String.join(" | ", cells));
            net.close();
        }
    }

    /** One of the service's sequential architectures, as NetworkFactory builds it, read back from its saved form. */
    private static MultiLayerNetwork service(Architecture architecture) {
        try {
            Path file = Files.createTempFile("tune-" + architecture.id(), ".zip");
            Network network = NetworkFactory.create(architecture, 1, new Adam(0.001));
            network.save(file);
            network.close();
            MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true);
            Files.delete(file);
            return net;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The baseline with every convolution and pooling layer in NHWC. */
    private static MultiLayerNetwork nhwc() {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .updater(new Adam(0.001)).weightInit(org.deeplearning4j.nn.weights.WeightInit.XAVIER_UNIFORM)
                .convolutionMode(ConvolutionMode.Same).list();
        for (int filters : new int[]{32, 64, 128}) {
            list.layer(new ConvolutionLayer.Builder(3, 3).nOut(filters).activation(Activation.RELU).dataFormat(CNN2DFormat.NHWC).build());
            list.layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).dataFormat(CNN2DFormat.NHWC).build());
        }
        list.layer(new DenseLayer.Builder().nOut(256).activation(Activation.RELU).build());
        list.layer(new DenseLayer.Builder().nOut(10).activation(Activation.IDENTITY).dropOut(0.6).build());
        list.layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build());
        MultiLayerConfiguration conf = list.setInputType(InputType.convolutional(28, 28, 1, CNN2DFormat.NHWC)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Flat rows for the service's convolutionalFlat input; NHWC images for the NHWC variant. */
    private static INDArray features(float[] pixels, int count, boolean nhwc) {
        return Nd4j.create(pixels, nhwc ? new long[]{count, 28, 28, 1} : new long[]{count, 784}, DataType.FLOAT);
    }

    private static INDArray oneHot(int[] labels) {
        float[] data = new float[labels.length * 10];
        for (int i = 0; i < labels.length; i++) {
            data[i * 10 + labels[i]] = 1;
        }
        return Nd4j.create(data, new long[]{labels.length, 10}, DataType.FLOAT);
    }

    /** Inference through the loss layer: softmax is monotonic, so its argmax is the logits'; the timing differs by one softmax. */
    private static float[][] logits(MultiLayerNetwork net, INDArray features) {
        INDArray out = net.output(features, false);
        return out.castTo(DataType.FLOAT).toFloatMatrix();
    }
}
