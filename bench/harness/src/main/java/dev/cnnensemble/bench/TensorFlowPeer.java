package dev.cnnensemble.bench;

import java.util.List;
import java.util.Random;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.framework.optimizers.Adam;

/**
 * TensorFlow 2.18 through TF Java, as a graph: one session run per step. TF Java has no gradient
 * for the sparse softmax cross-entropy, so labels go in one-hot to the dense one. NHWC, the layout
 * TensorFlow's CPU kernels take. Glorot-uniform weights and zero biases, as Keras initialises them.
 */
final class TensorFlowPeer implements Peer {

    private static final float DROPOUT_RATE = 0.4f;

    private final Graph graph = new Graph();
    private final Ops tf = Ops.create(graph);
    private final Random random = new Random(42);
    private final Placeholder<TFloat32> images;
    private final Placeholder<TFloat32> oneHot;
    private final Operand<TFloat32> evalLogits;
    private final Op minimize;
    private final Session session;
    private long parameters;

    TensorFlowPeer() {
        images = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, Workload.PIXELS)));
        oneHot = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 10)));
        Operand<TFloat32> net = tf.reshape(images, tf.constant(new long[]{-1, 28, 28, 1}));
        int channels = 1;
        for (int filters : new int[]{32, 64, 128}) {
            Variable<TFloat32> kernel = weight(Shape.of(3, 3, channels, filters), 9L * channels, 9L * filters);
            Variable<TFloat32> bias = zeros(filters);
            net = tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(net, kernel, List.of(1L, 1L, 1L, 1L), "SAME"), bias));
            net = tf.nn.maxPool(net, tf.constant(new int[]{1, 2, 2, 1}), tf.constant(new int[]{1, 2, 2, 1}), "SAME");
            channels = filters;
        }
        net = tf.reshape(net, tf.constant(new long[]{-1, 4 * 4 * 128}));
        Variable<TFloat32> w4 = weight(Shape.of(2048, 256), 2048, 256);
        Operand<TFloat32> hidden = tf.nn.relu(tf.math.add(tf.linalg.matMul(net, w4), zeros(256)));
        Variable<TFloat32> w5 = weight(Shape.of(256, 10), 256, 10);
        Variable<TFloat32> b5 = zeros(10);
        // Inverted dropout, as Keras does it: keep with probability 0.6 and scale the kept by 1/0.6.
        Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(
                tf.random.randomUniform(tf.shape(hidden), TFloat32.class), tf.constant(DROPOUT_RATE)), TFloat32.class);
        Operand<TFloat32> dropped = tf.math.mul(tf.math.div(hidden, tf.constant(1 - DROPOUT_RATE)), keep);
        Operand<TFloat32> trainLogits = tf.math.add(tf.linalg.matMul(dropped, w5), b5);
        evalLogits = tf.math.add(tf.linalg.matMul(hidden, w5), b5);
        Operand<TFloat32> loss = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(trainLogits, oneHot).loss(), tf.constant(0));
        minimize = new Adam(graph, 0.001f, 0.9f, 0.999f, 1e-7f).minimize(loss);
        session = new Session(graph);
        session.initialize();
    }

    private Variable<TFloat32> weight(Shape shape, long fanIn, long fanOut) {
        float limit = (float) Math.sqrt(6.0 / (fanIn + fanOut));
        float[] values = new float[(int) shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (random.nextFloat() * 2 - 1) * limit;
        }
        parameters += values.length;
        return tf.variable(tf.constant(shape, DataBuffers.of(values, true, false)));
    }

    private Variable<TFloat32> zeros(int size) {
        parameters += size;
        return tf.variable(tf.constant(Shape.of(size), DataBuffers.of(new float[size], true, false)));
    }

    @Override
    public String name() {
        return "tensorflow";
    }

    @Override
    public long parameters() {
        return parameters;
    }

    @Override
    public void trainStep(float[] pixels, int[] labels, int count) {
        float[] targets = new float[count * 10];
        for (int i = 0; i < count; i++) {
            targets[i * 10 + labels[i]] = 1f;
        }
        try (TFloat32 x = TFloat32.tensorOf(Shape.of(count, Workload.PIXELS), DataBuffers.of(pixels, true, false));
             TFloat32 y = TFloat32.tensorOf(Shape.of(count, 10), DataBuffers.of(targets, true, false));
             Result ignored = session.runner().feed(images, x).feed(oneHot, y).addTarget(minimize).run()) {
            // The step is the run; nothing is fetched.
        }
    }

    @Override
    public float[][] logits(float[] pixels, int count) {
        try (TFloat32 x = TFloat32.tensorOf(Shape.of(count, Workload.PIXELS), DataBuffers.of(pixels, true, false));
             Result result = session.runner().feed(images, x).fetch(evalLogits).run()) {
            float[] flat = new float[count * 10];
            ((TFloat32) result.get(0)).copyTo(DataBuffers.of(flat, false, false));
            return Measure.rows(flat, count, 10);
        }
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
