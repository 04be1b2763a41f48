package dev.cnnensemble.training;

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

    /** SplitMix64's finaliser: a bijective, well-diffusing 64-bit mix. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
