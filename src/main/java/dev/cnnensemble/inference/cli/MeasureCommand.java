package dev.cnnensemble.inference.cli;

import static dev.cnnensemble.model.InputShape.PIXELS;

import dev.cnnensemble.CnnEnsembleApplication;
import dev.cnnensemble.dataset.DatasetStore;
import dev.cnnensemble.dataset.LabeledImages;
import dev.cnnensemble.inference.InferenceEngine;
import dev.cnnensemble.inference.ModelDescriptor;
import dev.cnnensemble.model.Architecture;

import java.io.PrintStream;
import java.util.Arrays;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Measures a trained model in process, through the same engine that serves {@code /predict}: images/s
 * at several batch sizes and the latency of each pass. This is the ceiling that HTTP serving can
 * approach; {@code bench/predict} wraps it. Options:
 * {@code --measure.model=<jobId> --measure.architecture=cnn --measure.ensemble-size=5
 * --measure.batch-sizes=1,32,256 --measure.seconds=10}.
 */
public final class MeasureCommand {

    private MeasureCommand() {
    }

    public static void main(String[] args) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CnnEnsembleApplication.class)
                .web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "logging.level.root=WARN", "logging.level.org.flywaydb=ERROR",
                        "cnn.datasets.preload=", "cnn.jobs.enabled=false",
                        "spring.datasource.url=jdbc:h2:mem:measure-command")
                .run(args)) {
            Environment env = context.getEnvironment();
            ModelDescriptor model = new ModelDescriptor(env.getRequiredProperty("measure.model"),
                    Architecture.fromId(env.getProperty("measure.architecture", "cnn")),
                    env.getProperty("measure.ensemble-size", Integer.class, 1));
            int[] batchSizes = Arrays.stream(env.getProperty("measure.batch-sizes", "1,32,256").split(",")).mapToInt(Integer::parseInt).toArray();
            double seconds = env.getProperty("measure.seconds", Double.class, 10.0);
            LabeledImages test = context.getBean(DatasetStore.class).load(env.getProperty("measure.dataset", "mnist")).test();
            PrintStream out = System.out;
            try (InferenceEngine.LoadedEnsemble ensemble = context.getBean(InferenceEngine.class).load(model)) {
                out.printf("# in-process: model %s, %s x%d%n", model.id(), model.architecture(), model.ensembleSize());
                out.printf("%-10s %6s %10s %10s %10s%n", "kind", "batch", "img/s", "p50 ms", "p99 ms");
                for (int batch : batchSizes) {
                    Timing t = measure(ensemble::logits, test, batch, seconds);
                    out.printf("%-10s %6d %10.0f %10.3f %10.3f%n", "inprocess", batch, t.imagesPerSecond(), t.p50Millis(), t.p99Millis());
                }
            }
        }
    }

    /** One pass through a model: images in, whatever it returns. */
    @FunctionalInterface
    public interface Pass {
        Object run(float[] pixels, int count);
    }

    /** Images/s over the timed passes, and the latency of one pass. */
    public record Timing(int batch, double imagesPerSecond, double p50Millis, double p99Millis, long passes) {
    }

    /**
     * Warms up for a third of the time, then times back-to-back passes over the first {@code batch}
     * real test images; the benchmarks time every framework with this same protocol.
     */
    public static Timing measure(Pass pass, LabeledImages test, int batch, double seconds) {
        float[] pixels = new float[batch * PIXELS];
        for (int p = 0; p < pixels.length; p++) {
            pixels[p] = Byte.toUnsignedInt(test.pixels()[p % test.pixels().length]) / 255f;
        }
        long warmUntil = System.nanoTime() + (long) (seconds / 3 * 1e9);
        while (System.nanoTime() < warmUntil) {
            pass.run(pixels, batch);
        }
        long[] durations = new long[1 << 20];
        int passes = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now = start;
        while (now < end && passes < durations.length) {
            pass.run(pixels, batch);
            long after = System.nanoTime();
            durations[passes++] = after - now;
            now = after;
        }
        long[] sorted = Arrays.copyOf(durations, passes);
        Arrays.sort(sorted);
        return new Timing(batch, (double) passes * batch / ((now - start) / 1e9),
                sorted[(int) (passes * 0.50)] / 1e6, sorted[Math.min(passes - 1, (int) (passes * 0.99))] / 1e6, passes);
    }
}
