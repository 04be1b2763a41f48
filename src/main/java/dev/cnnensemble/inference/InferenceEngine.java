package dev.cnnensemble.inference;

/**
 * The one door to the code that runs networks. The DL4J implementation loads the job's checkpoints;
 * a faster backend (an ONNX export under ONNX Runtime, say) plugs in here, and nothing above it changes.
 */
public interface InferenceEngine {

    /** Loads every member of a trained ensemble; throws {@link InferenceExceptions.NoModel} when its files are unusable. */
    LoadedEnsemble load(ModelDescriptor model);

    /**
     * A loaded ensemble. Not thread-safe: one thread runs it at a time. Images are flat 28x28 rows,
     * white ink on black, 0..1.
     */
    interface LoadedEnsemble extends AutoCloseable {

        /** Each member's logits: {@code [member][image][class]} for the first {@code count} images. */
        float[][][] logits(float[] images, int count);

        /** Identifies the exact weights: it changes whenever any member's checkpoint does. */
        String version();

        /** The completed epochs of the checkpoints loaded (the lowest, should members differ). */
        int epoch();

        /** What the loaded networks hold in memory, parameters and activations, to bound the model cache. */
        long memoryBytes();

        /** Frees native memory; called once no pass is running. */
        @Override
        void close();
    }
}
