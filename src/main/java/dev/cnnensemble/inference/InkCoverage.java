package dev.cnnensemble.inference;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * How much of a 28x28 frame an image covers: the share of its pixels brighter than a tenth of full
 * ink. A digit centred on black covers 7–31 % of MNIST's frame; uniform noise covers 90 %, and most
 * clothes of Fashion-MNIST more than any digit. An image outside its model's range is unlike anything
 * the model was tested on, however confident the members are: the entropy alone misses that, since
 * networks are often confidently wrong far from their data.
 */
public final class InkCoverage {

    /** Brighter than this (0..1, white ink on black) counts as covered. */
    static final float INK = 0.1f;

    private InkCoverage() {
    }

    /** The coverage of image {@code index} of a batch of flat 28x28 rows. */
    public static double of(float[] pixels, int index, int pixelsPerImage) {
        int covered = 0;
        for (int p = index * pixelsPerImage, end = p + pixelsPerImage; p < end; p++) {
            covered += pixels[p] > INK ? 1 : 0;
        }
        return covered / (double) pixelsPerImage;
    }

    /** The coverages a model's test images span: the central part that its uncertainty percentile sets. */
    @Schema(name = "InkCoverageRange")
    public record Range(@Schema(example = "0.07") double min, @Schema(example = "0.31") double max) {

        public boolean contains(double coverage) {
            return coverage >= min && coverage <= max;
        }
    }
}
