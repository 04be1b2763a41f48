package dev.cnnensemble.training.dl4j;

import dev.cnnensemble.dataset.LabeledImages;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Turns byte images into the network's inputs: flat rows scaled to 0..1, and one-hot labels. */
final class Batches {

    private Batches() {
    }

    static INDArray features(LabeledImages images, int[] indices, int from, int count) {
        int perImage = images.pixelsPerImage();
        float[] data = new float[count * perImage];
        byte[] pixels = images.pixels();
        for (int i = 0; i < count; i++) {
            int source = (indices == null ? from + i : indices[from + i]) * perImage;
            int target = i * perImage;
            for (int p = 0; p < perImage; p++) {
                data[target + p] = Byte.toUnsignedInt(pixels[source + p]) / 255f;
            }
        }
        return Nd4j.create(data, new long[]{count, perImage}, DataType.FLOAT);
    }

    static INDArray oneHot(LabeledImages images, int[] indices, int from, int count) {
        int classes = images.classes();
        float[] data = new float[count * classes];
        for (int i = 0; i < count; i++) {
            data[i * classes + images.label(indices == null ? from + i : indices[from + i])] = 1f;
        }
        return Nd4j.create(data, new long[]{count, classes}, DataType.FLOAT);
    }
}
