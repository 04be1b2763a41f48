package dev.cnnensemble.bench;

/**
 * The tutorial's baseline CNN in another framework: 3x3 SAME convolutions of 32, 64 and 128 filters
 * with ReLU, each followed by a 2x2 SAME max-pool, dense 256 with ReLU, dropout 0.4, dense 10
 * logits; softmax cross-entropy and Adam at 0.001. Images are flat 28x28 rows in 0..1.
 * Not thread-safe.
 */
interface Peer extends AutoCloseable {

    String name();

    long parameters();

    /** One optimiser step on {@code count} images. */
    void trainStep(float[] pixels, int[] labels, int count);

    /** Inference-mode logits, {@code [image][class]}. */
    float[][] logits(float[] pixels, int count);

    @Override
    void close();
}
