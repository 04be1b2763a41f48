package dev.cnnensemble.inference;

import java.nio.file.Path;

/** Writes a trained ensemble as one ONNX file on the volume; the engine that can read its checkpoints implements it. */
public interface ModelExporter {

    /**
     * The model's ONNX file, written first when it is missing or was written from other checkpoints.
     *
     * @throws InferenceExceptions.NoModel when the checkpoints are unusable
     */
    OnnxFile onnx(ModelDescriptor model);

    /** Removes a deleted model's export, after any export of it under way. */
    void delete(String modelId);

    /**
     * @param sha256              the file's SHA-256, as its manifest records it
     * @param version             the weights it holds: the model's version, as {@code /predict} reports it
     * @param epoch               the completed epochs of those weights
     * @param activationsPerImage the most values one image's pass holds in any member, to size an engine's memory
     */
    record OnnxFile(Path file, String sha256, long bytes, String version, int epoch, long activationsPerImage) {
    }
}
