package dev.cnnensemble.training;

import java.time.Duration;

/**
 * Samples per second over a sliding window of recent steps, and an ETA from the whole session's
 * pace, which includes the evaluation and checkpoint time between epochs.
 */
final class ThroughputMeter {

    private static final int WINDOW = 64;

    private final long[] times = new long[WINDOW];
    private final long[] samples = new long[WINDOW];
    private final long startNanos;
    private long totalSamples;
    private long steps;
    private int next;

    ThroughputMeter(long startNanos) {
        this.startNanos = startNanos;
    }

    void record(long nowNanos, int batchSamples) {
        totalSamples += batchSamples;
        steps++;
        times[next] = nowNanos;
        samples[next] = totalSamples;
        next = (next + 1) % WINDOW;
    }

    double samplesPerSecond() {
        int filled = (int) Math.min(steps, WINDOW);
        if (filled < 2) {
            return 0;
        }
        int newest = (next - 1 + WINDOW) % WINDOW;
        int oldest = steps >= WINDOW ? next : 0;
        double seconds = (times[newest] - times[oldest]) / 1e9;
        return seconds <= 0 ? 0 : (samples[newest] - samples[oldest]) / seconds;
    }

    Duration eta(long nowNanos, long remainingSteps) {
        if (steps == 0) {
            return null;
        }
        double nanosPerStep = (double) (nowNanos - startNanos) / steps;
        return Duration.ofNanos((long) (nanosPerStep * remainingSteps));
    }
}
