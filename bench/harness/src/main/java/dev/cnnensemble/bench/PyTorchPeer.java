package dev.cnnensemble.bench;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import java.nio.FloatBuffer;

/**
 * PyTorch 2.7.1 (CPU) through DJL, eager, NCHW. Max-pooling rounds up (ceil mode), which is what
 * SAME pooling does to the 7x7 maps. Glorot-uniform weights, as Keras initialises them.
 */
final class PyTorchPeer implements Peer {

    private final Model model;
    private final Trainer trainer;

    PyTorchPeer() {
        SequentialBlock block = new SequentialBlock();
        for (int filters : new int[]{32, 64, 128}) {
            block.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(filters).build())
                    .add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), true));
        }
        block.add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(256).build())
                .add(Activation.reluBlock())
                .add(Dropout.builder().optRate(0.4f).build())
                .add(Linear.builder().setUnits(10).build());
        model = Model.newInstance("cnn", "PyTorch");
        model.setBlock(block);
        trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.001f)).optEpsilon(1e-7f).build())
                .optInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3),
                        Parameter.Type.WEIGHT));
        trainer.initialize(new Shape(1, 1, 28, 28));
    }

    @Override
    public String name() {
        return "pytorch";
    }

    @Override
    public long parameters() {
        return model.getBlock().getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
    }

    @Override
    public void trainStep(float[] pixels, int[] labels, int count) {
        try (NDManager batch = trainer.getManager().newSubManager()) {
            NDArray x = batch.create(FloatBuffer.wrap(pixels, 0, count * Workload.PIXELS), new Shape(count, 1, 28, 28));
            float[] targets = new float[count];
            for (int i = 0; i < count; i++) {
                targets[i] = labels[i];
            }
            NDArray y = batch.create(targets);
            try (GradientCollector gradients = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                gradients.backward(trainer.getLoss().evaluate(new NDList(y), new NDList(logits)));
            }
            trainer.step();
        }
    }

    /** PyTorch's intra-op threads, as DJL configured them. */
    static int threads() {
        return JniUtils.getNumThreads();
    }

    @Override
    public float[][] logits(float[] pixels, int count) {
        // Outside a gradient collector DJL leaves autograd off; made explicit, as torch.no_grad() would be.
        JniUtils.setGradMode(false);
        try (NDManager batch = trainer.getManager().newSubManager()) {
            NDArray x = batch.create(FloatBuffer.wrap(pixels, 0, count * Workload.PIXELS), new Shape(count, 1, 28, 28));
            float[] flat = trainer.evaluate(new NDList(x)).singletonOrThrow().toFloatArray();
            return Measure.rows(flat, count, 10);
        }
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}
