package dev.cnnensemble.training;

import java.time.Duration;
import java.util.List;

/**
 * What one epoch produced: each member's metrics and the ensemble's (averaged logits).
 *
 * @param trainingTime     time spent in optimiser steps, all members added up (evaluation excluded)
 * @param samplesPerSecond training images per second of that time: what one member trains at
 */
public record EpochReport(int epoch, List<EpochMetrics> members, EpochMetrics ensemble, double learningRate,
                          Duration trainingTime, double samplesPerSecond) {

    /** The report of an epoch that every member in {@code members} has finished. */
    public static EpochReport of(List<MemberEpoch> members, EpochMetrics ensemble) {
        double seconds = members.stream().mapToDouble(MemberEpoch::trainingSeconds).sum();
        long samples = members.stream().mapToLong(MemberEpoch::samples).sum();
        return new EpochReport(members.get(0).epoch(), members.stream().map(MemberEpoch::metrics).toList(), ensemble,
                members.get(0).learningRate(), Duration.ofNanos((long) (seconds * 1e9)), seconds == 0 ? 0 : samples / seconds);
    }
}
