package dev.cnnensemble.inference.onnx;

import static dev.cnnensemble.model.InputShape.PIXELS;
import static dev.cnnensemble.model.InputShape.SIDE;

import dev.cnnensemble.inference.InferenceEngine;
import dev.cnnensemble.inference.InferenceExceptions.NoModel;
import dev.cnnensemble.inference.InferenceProperties;
import dev.cnnensemble.inference.ModelDescriptor;
import dev.cnnensemble.inference.ModelExporter;
import dev.cnnensemble.model.OnnxExport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
            // The weights, and one pass's input and activations at the largest batch.
            long bytes = onnx.bytes() + (onnx.activationsPerImage() + PIXELS) * maxBatchSize * Float.BYTES;
            log.info("Loaded model {} into ONNX Runtime ({}, {} members, epoch {}, {} bytes of ONNX, about {} MB with activations)",
                    model.id(), model.architecture(), model.ensembleSize(), onnx.epoch(), onnx.bytes(), bytes >> 20);
            return new OrtEnsemble(environment, session, onnx.version(), onnx.epoch(), bytes);
        } catch (OrtException e) {
            throw new NoModel("model " + model.id() + " cannot be loaded into ONNX Runtime: " + e.getMessage());
        }
    }

    private static final class OrtEnsemble implements LoadedEnsemble {

        private final OrtEnvironment environment;
        private final OrtSession session;
        private final String version;
        private final int epoch;
        private final long memoryBytes;
        /** Native memory that ONNX Runtime reads the images from without copying; grown on demand, one pass at a time. */
        private FloatBuffer input = ByteBuffer.allocateDirect(0).asFloatBuffer();

        OrtEnsemble(OrtEnvironment environment, OrtSession session, String version, int epoch, long memoryBytes) {
            this.environment = environment;
            this.session = session;
            this.version = version;
            this.epoch = epoch;
            this.memoryBytes = memoryBytes;
        }

        @Override
        public float[][][] logits(float[] images, int count) {
            int floats = count * PIXELS;
            if (input.capacity() < floats) {
                input = ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
            }
            input.clear();
            input.put(images, 0, floats).flip();
            try (OnnxTensor tensor = OnnxTensor.createTensor(environment, input, new long[]{count, 1, SIDE, SIDE});
                 OrtSession.Result result = session.run(Map.of(OnnxExport.IMAGES, tensor), Set.of(OnnxExport.MEMBER_LOGITS))) {
                OnnxTensor output = (OnnxTensor) result.get(0);
                long[] shape = output.getInfo().getShape(); // [image][member][class]
                FloatBuffer logits = output.getFloatBuffer();
                float[][][] byMember = new float[(int) shape[1]][count][(int) shape[2]];
                for (int i = 0; i < count; i++) {
                    for (float[][] member : byMember) {
                        logits.get(member[i]);
                    }
                }
                return byMember;
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime failed on " + count + " images", e);
            }
        }

        @Override
        public String version() {
            return version;
        }

        @Override
        public int epoch() {
            return epoch;
        }

        @Override
        public long memoryBytes() {
            return memoryBytes;
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
