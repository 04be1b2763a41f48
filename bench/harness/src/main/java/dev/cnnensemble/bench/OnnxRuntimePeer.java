package dev.cnnensemble.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.util.Map;

/**
 * ONNX Runtime 1.22 (CPU), inference only, on a model as the service exports it ({@code OnnxExport}): a bare
 * session, with ONNX Runtime's defaults but for its intra-op threads, which match the service engine's.
 */
final class OnnxRuntimePeer implements AutoCloseable {

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final long parameters;

    OnnxRuntimePeer(byte[] model, int intraOpThreads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setIntraOpNumThreads(intraOpThreads);
        session = environment.createSession(model, options);
        parameters = Long.parseLong(session.getMetadata().getCustomMetadata().get("parameters"));
    }

    long parameters() {
        return parameters;
    }

    float[][] logits(float[] pixels, int count) {
        try (OnnxTensor images = OnnxTensor.createTensor(environment, FloatBuffer.wrap(pixels, 0, count * Workload.PIXELS),
                new long[]{count, 1, 28, 28});
             OrtSession.Result result = session.run(Map.of("images", images))) {
            return (float[][]) result.get("logits").orElseThrow().getValue();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
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
