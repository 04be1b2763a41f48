package dev.cnnensemble.jobs;

import org.springframework.data.annotation.Id;
import org.jspecify.annotations.Nullable;

/** One row of a job's metric history: a member's epoch, or the ensemble's ({@code member = -1}). */
public record EpochRecord(@Id @Nullable Long id, String jobId, int epoch, int member, double loss, double trainAccuracy,
                          @Nullable Double validationAccuracy, double testAccuracy, double learningRate, double trainingSeconds,
                          double samplesPerSecond) {

    public static final int ENSEMBLE = -1;
}
