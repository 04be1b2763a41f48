package dev.cnnensemble.training;

/**
 * A member's finished epoch.
 *
 * @param trainingSeconds time in optimiser steps (evaluation excluded)
 * @param samples         training images of the epoch
 */
public record MemberEpoch(int epoch, EpochMetrics metrics, double learningRate, double trainingSeconds, long samples) {

    public double samplesPerSecond() {
        return trainingSeconds == 0 ? 0 : samples / trainingSeconds;
    }
}
