package dev.cnnensemble.bench;

import dev.cnnensemble.inference.InferenceEngine;
import dev.cnnensemble.inference.InferenceProperties;
import dev.cnnensemble.inference.MicroBatcher;
import dev.cnnensemble.model.Architecture;
import dev.cnnensemble.model.Network;
import dev.cnnensemble.model.NetworkFactory;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelInference;
import org.deeplearning4j.parallelism.inference.InferenceMode;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * In process, the serving path's micro-batcher against DL4J's ParallelInference in BATCHED mode, on
 * the same checkpoint: N caller threads each send one image at a time, as HTTP request threads do.
 * Rounds alternate between the contenders; the table gives each round and the medians.
 *
 * Arguments: checkpoint.zip (a cnn member) idx-images-file callers(e.g. 32,128) seconds rounds
 */
public final class BatchingBenchmark {

    private record Result(String name, int callers, double imagesPerSecond, double p50Millis, double p99Millis) {
    }

    public static void main(String[] args) throws Exception {
        Path checkpoint = Path.of(args[0]);
        float[][] images = digits(Path.of(args[1]), 1000);
        int[] callerCounts = Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
        double seconds = Double.parseDouble(args[3]);
        int rounds = Integer.parseInt(args[4]);

        Network network = NetworkFactory.load(Architecture.CNN, checkpoint);
        InferenceProperties.Batching batching = new InferenceProperties.Batching(256, Duration.ZERO, 1 << 20, Duration.ofSeconds(60), Duration.ofSeconds(1));
        MicroBatcher batcher = new MicroBatcher("bench", new SingleNetwork(network), batching, new SimpleMeterRegistry());
        MultiLayerNetwork model = ModelSerializer.restoreMultiLayerNetwork(checkpoint.toFile(), false);

        List<Result> results = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (int callers : callerCounts) {
                results.add(run("micro-batcher", callers, seconds, images, image -> {
                    try {
                        return batcher.submit(image, 1).get()[0][0];
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
                for (int workers : new int[]{1, 2}) {
                    ParallelInference parallel = new ParallelInference.Builder(model).inferenceMode(InferenceMode.BATCHED)
                            .batchLimit(256).queueLimit(1 << 16).workers(workers).build();
                    results.add(run("ParallelInference w=" + workers, callers, seconds, images, image -> {
                        INDArray out = parallel.output(Nd4j.create(image, new long[]{1, 784}, DataType.FLOAT));
                        return out.toFloatVector();
                    }));
                    parallel.shutdown();
                }
            }
        }
        batcher.close();

        System.out.printf("%-22s %8s %10s %9s %9s%n", "contender", "callers", "img/s", "p50 ms", "p99 ms");
        results.forEach(r -> System.out.printf("%-22s %8d %10.0f %9.2f %9.2f%n", r.name(), r.callers(), r.imagesPerSecond(), r.p50Millis(), r.p99Millis()));
        System.out.println("medians over " + rounds + " rounds:");
        results.stream().map(r -> r.name() + "|" + r.callers()).distinct().forEach(key -> {
            double[] rates = results.stream().filter(r -> (r.name() + "|" + r.callers()).equals(key)).mapToDouble(Result::imagesPerSecond).sorted().toArray();
            String[] parts = key.split("\\|");
            System.out.printf("%-22s %8s %10.0f%n", parts[0], parts[1], rates[rates.length / 2]);
        });
        System.exit(0);
    }

    /** One member served through the same LoadedEnsemble contract as the service's engine. */
    private record SingleNetwork(Network network) implements InferenceEngine.LoadedEnsemble {
        @Override
        public float[][][] logits(float[] pixels, int count) {
            INDArray features = Nd4j.create(pixels, new long[]{count, 784}, DataType.FLOAT);
            INDArray out = network.logits(features);
            float[][] logits = out.toFloatMatrix();
            features.close();
            if (out.closeable()) {
                out.close();
            }
            return new float[][][]{logits};
        }

        @Override
        public String version() {
            return "bench";
        }

        @Override
        public int epoch() {
            return 0;
        }

        @Override
        public long memoryBytes() {
            return 0;
        }

        @Override
        public void close() {
            network.close();
        }
    }

    private static Result run(String name, int callers, double seconds, float[][] images, Function<float[], float[]> predict) throws Exception {
        // A short warm-up, then the timed run.
        timed(callers, Math.min(3, seconds / 3), images, predict);
        long[] latencies = timed(callers, seconds, images, predict);
        Arrays.sort(latencies);
        return new Result(name, callers, latencies.length / seconds, latencies[latencies.length / 2] / 1e6,
                latencies[Math.min(latencies.length - 1, (int) (latencies.length * 0.99))] / 1e6);
    }

    private static long[] timed(int callers, double seconds, float[][] images, Function<float[], float[]> predict) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            int offset = c;
            futures.add(pool.submit(() -> {
                List<Long> latencies = new ArrayList<>();
                for (int i = offset; System.nanoTime() < deadline; i += callers) {
                    long before = System.nanoTime();
                    float[] out = predict.apply(images[i % images.length]);
                    if (out.length != 10) {
                        throw new IllegalStateException("expected 10 outputs, got " + out.length);
                    }
                    latencies.add(System.nanoTime() - before);
                }
                return latencies;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : futures) {
            all.addAll(f.get());
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        return all.stream().mapToLong(Long::longValue).toArray();
    }

    /** The first {@code count} images of an IDX file, scaled to 0..1 as the service does. */
    private static float[][] digits(Path idx, int count) throws Exception {
        byte[] bytes = Files.readAllBytes(idx);
        float[][] images = new float[count][784];
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < 784; p++) {
                images[i][p] = Byte.toUnsignedInt(bytes[16 + i * 784 + p]) / 255f;
            }
        }
        return images;
    }
}
