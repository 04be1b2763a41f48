package dev.cnnensemble.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures this CPU's fp32 fused multiply-add peak with the Vector API: every core runs independent
 * FMA chains on registers (enough of them to cover the FMA latency), once with 256-bit vectors
 * (AVX2) and once with 512-bit ones (AVX-512). Prints one JSON object. Needs
 * {@code --add-modules jdk.incubator.vector}.
 */
public final class FlopPeak {

    private static final long ITERATIONS = 200_000_000L;

    private FlopPeak() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        double avx2 = 0;
        double avx512 = 0;
        // Warm up, so that C2 compiles the loop with vector instructions before it is timed.
        for (int i = 0; i < 20_000; i++) {
            chains256(100);
            chains512(100);
        }
        for (int round = 0; round < 3; round++) {
            avx2 = Math.max(avx2, measure(S256, threads));
            avx512 = Math.max(avx512, measure(S512, threads));
        }
        System.out.printf("{\"threads\":%d,\"avx2GflopsPerSecond\":%.1f,\"avx512GflopsPerSecond\":%.1f}%n", threads, avx2, avx512);
    }

    private static double measure(VectorSpecies<Float> species, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Float>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long iterations = ITERATIONS / species.length();
                tasks.add(species == S256 ? () -> chains256(iterations) : () -> chains512(iterations));
            }
            long started = System.nanoTime();
            float sink = 0;
            for (Future<Float> f : pool.invokeAll(tasks)) {
                sink += f.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            if (sink == 42) {
                System.out.print("");
            }
            // 12 chains x lanes x 2 FLOP (multiply and add) per iteration.
            return 12.0 * 2 * ITERATIONS * threads / seconds / 1e9;
        } finally {
            pool.shutdown();
        }
    }

    // The species must be constants for C2 to turn the vectors into registers.
    private static final VectorSpecies<Float> S256 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Float> S512 = FloatVector.SPECIES_512;

    private static float chains256(long iterations) {
        return chains(S256, iterations);
    }

    private static float chains512(long iterations) {
        return chains(S512, iterations);
    }

    private static float chains(VectorSpecies<Float> species, long iterations) {
        FloatVector m = FloatVector.broadcast(species, 0.999999f);
        FloatVector add = FloatVector.broadcast(species, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(species, 1f), a1 = a0.add(1f), a2 = a0.add(2f), a3 = a0.add(3f);
        FloatVector a4 = a0.add(4f), a5 = a0.add(5f), a6 = a0.add(6f), a7 = a0.add(7f);
        FloatVector a8 = a0.add(8f), a9 = a0.add(9f), a10 = a0.add(10f), a11 = a0.add(11f);
        for (long i = 0; i < iterations; i++) {
            a0 = a0.fma(m, add); a1 = a1.fma(m, add); a2 = a2.fma(m, add); a3 = a3.fma(m, add);
            a4 = a4.fma(m, add); a5 = a5.fma(m, add); a6 = a6.fma(m, add); a7 = a7.fma(m, add);
            a8 = a8.fma(m, add); a9 = a9.fma(m, add); a10 = a10.fma(m, add); a11 = a11.fma(m, add);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
