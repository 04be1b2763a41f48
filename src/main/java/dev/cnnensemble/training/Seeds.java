package dev.cnnensemble.training;

import java.util.SplittableRandom;

/**
 * Derives independent seeds from a run's seed, so that every member, epoch and step gets its own
 * stream and a resumed run can recreate any of them without stored generator state.
 */
public final class Seeds {

    private Seeds() {
    }

    public static long derive(long seed, long... path) {
        long h = mix(seed);
        for (long p : path) {
            h = mix(h ^ mix(p + 0x632BE59BD9B4E019L));
        }
        return h;
    }

    /**
     * The epoch's data order: a Fisher-Yates shuffle of {@code 0..size-1} driven by a
     * {@link SplittableRandom} seeded with {@code seed}, so it is reproducible from the seed alone. The
     * trainer visits each epoch's images in this order; it depends on nothing but the JDK, so every
     * framework (the benchmarks feed TensorFlow and PyTorch the same order) can reproduce it.
     */
    public static int[] permutation(int size, long seed) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** SplitMix64's finaliser: a bijective, well-diffusing 64-bit mix. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
