package dev.cnnensemble.inference.onnx;

import static dev.cnnensemble.model.InputShape.PIXELS;
import static dev.cnnensemble.model.InputShape.SIDE;

import dev.cnnensemble.inference.InferenceEngine;
import dev.cnnensemble.inference.InferenceExceptions.NoModel;
import dev.cnnensemble.inference.InferenceProperties;
import dev.cnnensemble.inference.ModelDescriptor;
import dev.cnnensemble.inference.ModelExporter;
import dev.cnnensemble.model.OnnxExport;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * Serves each model's ONNX export ({@link ModelExporter}) with ONNX Runtime, the default engine: the
 * same weights as DL4J's checkpoints, one session per model. ONNX Runtime uses no OpenMP; its
 * intra-op threads are {@code cnn.inference.threads-per-pass}, and idle ones do not spin, so that
 * training keeps the cores.
 */
@Component
@ConditionalOnProperty(name = "cnn.inference.engine", havingValue = "onnx", matchIfMissing = true)
class OrtInferenceEngine implements InferenceEngine {

    private static final Logger log = LoggerFactory.getLogger(OrtInferenceEngine.class);

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final ModelExporter exporter;
    private final int maxBatchSize;
    private final int threads;

    OrtInferenceEngine(ModelExporter exporter, InferenceProperties inference) {
        this.exporter = exporter;
        this.maxBatchSize = inference.batching().maxBatchSize();
        this.threads = Math.max(1, inference.threadsPerPass());
    }

    @Override
    public LoadedEnsemble load(ModelDescriptor model) {
        ModelExporter.OnnxFile onnx = exporter.onnx(model);
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            OrtSession session = environment.createSession(onnx.file().toString(), options);
            // The weights, and one pass's activations at the largest batch.
            long bytes = onnx.bytes() + onnx.activationsPerImage() * maxBatchSize * Float.BYTES;
            log.info("Loaded model {} into ONNX Runtime ({}, {} members, epoch {}, {} bytes of ONNX, about {} MB with activations)",
                    model.id(), model.architecture(), model.ensembleSize(), onnx.epoch(), onnx.bytes(), bytes >> 20);
            return new OrtEnsemble(environment, session, onnx.version(), onnx.epoch(), bytes);
        } catch (OrtException e) {
            throw new NoModel("model " + model.id() + " cannot be loaded into ONNX Runtime: " + e.getMessage());
        }
    }

    private record OrtEnsemble(OrtEnvironment environment, OrtSession session, String version, int epoch, long memoryBytes)
            implements LoadedEnsemble {

        @Override
        public float[][][] logits(float[] images, int count) {
            try (OnnxTensor input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(images, 0, count * PIXELS),
                    new long[]{count, 1, SIDE, SIDE});
                 OrtSession.Result result = session.run(Map.of(OnnxExport.IMAGES, input), Set.of(OnnxExport.MEMBER_LOGITS))) {
                float[][][] byImage = (float[][][]) result.get(0).getValue();
                int members = byImage.length == 0 ? 0 : byImage[0].length;
                float[][][] byMember = new float[members][count][];
                for (int i = 0; i < count; i++) {
                    for (int m = 0; m < members; m++) {
                        byMember[m][i] = byImage[i][m];
                    }
                }
                return byMember;
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime failed on " + count + " images", e);
            }
        }

        @Override
        public void close() {
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
