package dev.cnnensemble.training;

import org.jspecify.annotations.Nullable;

/**
 * One epoch's figures for a member or for the ensemble.
 *
 * @param loss               mean softmax cross-entropy over the epoch's training minibatches
 *                           (for the ensemble: the mean over members)
 * @param trainAccuracy      accuracy on a fixed sample of original training images, after the epoch
 * @param validationAccuracy accuracy on the held-out split, or null when there is none
 * @param testAccuracy       accuracy on the test images, after the epoch
 */
public record EpochMetrics(double loss, double trainAccuracy, @Nullable Double validationAccuracy, double testAccuracy) {

    /** The figure the best checkpoint is chosen by: validation when held out, else test. */
    public double selectionAccuracy() {
        return validationAccuracy != null ? validationAccuracy : testAccuracy;
    }
}
