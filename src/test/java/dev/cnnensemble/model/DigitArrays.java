package dev.cnnensemble.model;

import dev.cnnensemble.dataset.LabeledImages;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Real digits as a network takes them: pixels in 0..1 as rows of 784, labels one-hot. */
final class DigitArrays {

    private DigitArrays() {
    }

    static INDArray features(LabeledImages images) {
        float[] pixels = new float[images.pixels().length];
        for (int p = 0; p < pixels.length; p++) {
            pixels[p] = (images.pixels()[p] & 0xff) / 255f;
        }
        return Nd4j.create(pixels, new long[]{images.size(), InputShape.PIXELS}, 'c');
    }

    static INDArray labels(LabeledImages images) {
        INDArray oneHot = Nd4j.zeros(DataType.FLOAT, images.size(), NetworkFactory.CLASSES);
        for (int i = 0; i < images.size(); i++) {
            oneHot.putScalar(i, images.label(i), 1);
        }
        return oneHot;
    }
}
