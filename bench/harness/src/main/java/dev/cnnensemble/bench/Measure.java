package dev.cnnensemble.bench;

import static dev.cnnensemble.model.InputShape.PIXELS;

import dev.cnnensemble.dataset.LabeledImages;
import dev.cnnensemble.training.EnsembleMath;
import dev.cnnensemble.training.Seeds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The protocols every stack is measured with, so that the figures compare like with like. */
final class Measure {

    /** Per pass: the images in, each image's logits out. */
    interface Forward {
        float[][] logits(float[] pixels, int count);
    }

    /** One optimiser step. */
    interface Step {
        void run(float[] pixels, int[] labels, int count);
    }

    record Training(List<Double> epochImagesPerSecond, double testAccuracy) {
    }

    /** Images/s over the timed passes, and the latency of one pass. */
    record Timing(int batch, double imagesPerSecond, double p50Millis, double p99Millis, long passes) {
    }

    private Measure() {
    }

    /**
     * Epochs over the workload's training images at the given batch size, each in its own seeded
     * order; the time counts building each batch from bytes and the step, as the service's trainer
     * counts it, and leaves out the test evaluation at the end.
     */
    static Training train(Step step, Forward forward, Workload workload, int epochs, int batchSize) {
        LabeledImages train = workload.train();
        List<Double> rates = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            int[] order = Seeds.permutation(train.size(), epoch);
            long started = System.nanoTime();
            for (int from = 0; from < train.size(); from += batchSize) {
                int count = Math.min(batchSize, train.size() - from);
                step.run(Workload.pixels(train, order, from, count), Workload.labels(train, order, from, count), count);
            }
            rates.add(train.size() / ((System.nanoTime() - started) / 1e9));
        }
        return new Training(rates, accuracy(forward, workload.test()));
    }

    /** The test accuracy, from logits taken 1,000 images at a time. */
    static double accuracy(Forward forward, LabeledImages test) {
        float[][] logits = new float[test.size()][];
        for (int from = 0; from < test.size(); from += 1000) {
            int count = Math.min(1000, test.size() - from);
            System.arraycopy(forward.logits(Workload.pixels(test, null, from, count), count), 0, logits, from, count);
        }
        return EnsembleMath.accuracy(logits, test.labels(), 0);
    }

    /** Rows of {@code width} from a flat row-major array. */
    static float[][] rows(float[] flat, int count, int width) {
        float[][] out = new float[count][width];
        for (int i = 0; i < count; i++) {
            System.arraycopy(flat, i * width, out[i], 0, width);
        }
        return out;
    }

    /**
     * The inference protocol every stack and {@link MeasureCommand} are timed with: warms up for a
     * third of the time, then times back-to-back passes over the first {@code batch} real test images.
     * A pass counts turning the floats into the framework's tensor and the logits back into arrays,
     * as serving does.
     */
    static Timing inference(Forward forward, LabeledImages test, int batch, double seconds) {
        float[] pixels = new float[batch * PIXELS];
        for (int p = 0; p < pixels.length; p++) {
            pixels[p] = Byte.toUnsignedInt(test.pixels()[p % test.pixels().length]) / 255f;
        }
        long warmUntil = System.nanoTime() + (long) (seconds / 3 * 1e9);
        while (System.nanoTime() < warmUntil) {
            forward.logits(pixels, batch);
        }
        long[] durations = new long[1 << 20];
        int passes = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now = start;
        while (now < end && passes < durations.length) {
            forward.logits(pixels, batch);
            long after = System.nanoTime();
            durations[passes++] = after - now;
            now = after;
        }
        long[] sorted = Arrays.copyOf(durations, passes);
        Arrays.sort(sorted);
        return new Timing(batch, (double) passes * batch / ((now - start) / 1e9),
                sorted[(int) (passes * 0.50)] / 1e6, sorted[Math.min(passes - 1, (int) (passes * 0.99))] / 1e6, passes);
    }

    /** The process's peak resident memory so far, heap and native together (VmHWM), in kB. */
    static long peakRssKb() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }
}
