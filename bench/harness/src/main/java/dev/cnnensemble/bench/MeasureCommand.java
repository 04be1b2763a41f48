package dev.cnnensemble.bench;

import dev.cnnensemble.dataset.LabeledImages;
import dev.cnnensemble.inference.InferenceEngine;
import dev.cnnensemble.inference.ModelDescriptor;
import dev.cnnensemble.model.Architecture;

import java.io.PrintStream;
import java.nio.file.Files;
import java.util.Arrays;

import org.springframework.core.env.Environment;

/**
 * Measures a trained model in process, through the same engine that serves {@code /predict}: images/s
 * at several batch sizes and the latency of each pass, with {@link Measure#inference}. This is the
 * ceiling that HTTP serving can approach; {@code bench/predict} wraps it. With
 * {@code --cnn.inference.engine=onnx} it measures a bare ONNX Runtime session on the same export next.
 * Options (any other {@code --name=value} goes to the service's context, such as {@code --cnn.data-dir}):
 * {@code --measure.model=<jobId> --measure.architecture=cnn --measure.ensemble-size=5
 * --measure.batch-sizes=1,32,256 --measure.seconds=10 --measure.dataset=mnist}.
 */
public final class MeasureCommand {

    private MeasureCommand() {
    }

    public static void main(String[] args) throws Exception {
        try (Dl4jService service = new Dl4jService(args)) {
            Environment env = service.environment();
            String dataset = env.getProperty("measure.dataset", "mnist");
            ModelDescriptor model = Dl4jService.model(env.getRequiredProperty("measure.model"),
                    Architecture.fromId(env.getProperty("measure.architecture", "cnn")),
                    env.getProperty("measure.ensemble-size", Integer.class, 1), dataset);
            int[] batchSizes = Arrays.stream(env.getProperty("measure.batch-sizes", "1,32,256").split(",")).mapToInt(Integer::parseInt).toArray();
            double seconds = env.getProperty("measure.seconds", Double.class, 10.0);
            LabeledImages test = service.testImages(dataset);
            PrintStream out = System.out;
            String engine = env.getRequiredProperty("cnn.inference.engine");
            out.printf("# in-process: model %s, %s x%d%n", model.id(), model.architecture(), model.ensembleSize());
            out.printf("%-12s %6s %10s %10s %10s%n", "kind", "batch", "img/s", "p50 ms", "p99 ms");
            try (InferenceEngine.LoadedEnsemble ensemble = service.load(model)) {
                // Each pass runs every member, as serving does; the protocol keeps the first member's logits.
                measure(engine + "-engine", (pixels, count) -> ensemble.logits(pixels, count)[0], test, batchSizes, seconds, out);
            }
            if (engine.equals("onnx")) {
                // The same file in a bare session with the engine's intra-op threads: what the engine's own code costs.
                int threads = env.getRequiredProperty("cnn.inference.threads-per-pass", Integer.class);
                try (OnnxRuntimePeer bare = new OnnxRuntimePeer(Files.readAllBytes(service.onnxFile(model)), threads)) {
                    measure("onnx-bare", bare::logits, test, batchSizes, seconds, out);
                }
            }
        }
    }

    private static void measure(String kind, Measure.Forward forward, LabeledImages test, int[] batchSizes, double seconds, PrintStream out) {
        for (int batch : batchSizes) {
            Measure.Timing t = Measure.inference(forward, test, batch, seconds);
            out.printf("%-12s %6d %10.0f %10.3f %10.3f%n", kind, batch, t.imagesPerSecond(), t.p50Millis(), t.p99Millis());
        }
    }
}
