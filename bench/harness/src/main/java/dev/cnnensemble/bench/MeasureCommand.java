package dev.cnnensemble.bench;

import dev.cnnensemble.dataset.LabeledImages;
import dev.cnnensemble.inference.InferenceEngine;
import dev.cnnensemble.inference.ModelDescriptor;
import dev.cnnensemble.model.Architecture;

import java.io.PrintStream;
import java.util.Arrays;

import org.springframework.core.env.Environment;

/**
 * Measures a trained model in process, through the same engine that serves {@code /predict}: images/s
 * at several batch sizes and the latency of each pass, with {@link Measure#inference}. This is the
 * ceiling that HTTP serving can approach; {@code bench/predict} wraps it. Options (any other
 * {@code --name=value} goes to the service's context, such as {@code --cnn.data-dir}):
 * {@code --measure.model=<jobId> --measure.architecture=cnn --measure.ensemble-size=5
 * --measure.batch-sizes=1,32,256 --measure.seconds=10 --measure.dataset=mnist}.
 */
public final class MeasureCommand {

    private MeasureCommand() {
    }

    public static void main(String[] args) {
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
            try (InferenceEngine.LoadedEnsemble ensemble = service.load(model)) {
                out.printf("# in-process: model %s, %s x%d%n", model.id(), model.architecture(), model.ensembleSize());
                out.printf("%-10s %6s %10s %10s %10s%n", "kind", "batch", "img/s", "p50 ms", "p99 ms");
                for (int batch : batchSizes) {
                    // Each pass runs every member, as serving does; the protocol keeps the first member's logits.
                    Measure.Timing t = Measure.inference((pixels, count) -> ensemble.logits(pixels, count)[0], test, batch, seconds);
                    out.printf("%-10s %6d %10.0f %10.3f %10.3f%n", "inprocess", batch, t.imagesPerSecond(), t.p50Millis(), t.p99Millis());
                }
            }
        }
    }
}
