package dev.cnnensemble.bench;

import dev.cnnensemble.dataset.IdxReader;
import dev.cnnensemble.dataset.LabeledImages;

import java.nio.file.Path;

/**
 * Real MNIST, read from the service's data volume: the first {@code trainImages} training images
 * and the whole test set. Every stack gets the same images in the same order.
 */
record Workload(LabeledImages train, LabeledImages test) {

    static final int PIXELS = 28 * 28;

    static Workload load(Path mnistDir, int trainImages) {
        LabeledImages train = IdxReader.read(mnistDir.resolve("train-images-idx3-ubyte"), mnistDir.resolve("train-labels-idx1-ubyte"), 10);
        LabeledImages test = IdxReader.read(mnistDir.resolve("t10k-images-idx3-ubyte"), mnistDir.resolve("t10k-labels-idx1-ubyte"), 10);
        return new Workload(train.first(trainImages), test);
    }

    /** Images scaled to 0..1, as the service's trainer builds its batches. */
    static float[] pixels(LabeledImages images, int[] order, int from, int count) {
        float[] data = new float[count * PIXELS];
        byte[] source = images.pixels();
        for (int i = 0; i < count; i++) {
            int image = order == null ? from + i : order[from + i];
            for (int p = 0; p < PIXELS; p++) {
                data[i * PIXELS + p] = Byte.toUnsignedInt(source[image * PIXELS + p]) / 255f;
            }
        }
        return data;
    }

    static int[] labels(LabeledImages images, int[] order, int from, int count) {
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = images.label(order == null ? from + i : order[from + i]);
        }
        return labels;
    }
}
