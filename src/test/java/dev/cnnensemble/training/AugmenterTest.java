package dev.cnnensemble.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnensemble.dataset.LabeledImages;
import dev.cnnensemble.dataset.RealData;
import dev.cnnensemble.dataset.RequiresMnist;
import dev.cnnensemble.training.TrainingConfig.Augmentation;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

@RequiresMnist
class AugmenterTest {

    private static final LabeledImages DIGITS = RealData.mnist().train().first(200);

    @Test
    void eachImageIsFollowedByItsCopiesWithTheSameLabel() {
        LabeledImages augmented = Augmenter.augment(DIGITS, Augmentation.tutorial(), 1);

        assertThat(augmented.size()).isEqualTo(200 * 5);
        assertThat(augmented.rows()).isEqualTo(28);
        assertThat(augmented.cols()).isEqualTo(28);
        for (int i = 0; i < DIGITS.size(); i++) {
            assertThat(image(augmented, i * 5)).as("original %d comes first", i).isEqualTo(image(DIGITS, i));
            for (int c = 0; c < 5; c++) {
                assertThat(augmented.label(i * 5 + c)).isEqualTo(DIGITS.label(i));
            }
            assertThat(image(augmented, i * 5 + 1)).as("copy of %d is transformed", i).isNotEqualTo(image(DIGITS, i));
        }
    }

    @Test
    void sameSeedGivesTheSameImagesOnAnyThreadSchedule() {
        LabeledImages first = Augmenter.augment(DIGITS, Augmentation.tutorial(), 7);
        LabeledImages second = Augmenter.augment(DIGITS, Augmentation.tutorial(), 7);
        LabeledImages other = Augmenter.augment(DIGITS, Augmentation.tutorial(), 8);

        assertThat(second.pixels()).isEqualTo(first.pixels());
        assertThat(other.pixels()).isNotEqualTo(first.pixels());
    }

    @Test
    void wholePixelShiftMovesTheImageAndFillsWithTheMedian() {
        byte[] src = new byte[28 * 28];
        Arrays.fill(src, (byte) 40);
        src[10 * 28 + 12] = (byte) 255;
        byte[] dst = new byte[28 * 28];

        Augmenter.transform(src, 0, 28, 28, 0, -2, 1, 40, dst, 0);

        assertThat(Byte.toUnsignedInt(dst[11 * 28 + 10])).isEqualTo(255);
        assertThat(Byte.toUnsignedInt(dst[10 * 28 + 12])).isEqualTo(40);
        // The two columns uncovered on the right take the fill value, here the median 40.
        assertThat(Byte.toUnsignedInt(dst[5 * 28 + 27])).isEqualTo(40);
        assertThat(Byte.toUnsignedInt(dst[0])).isEqualTo(40);
    }

    @Test
    void uncoveredPixelsTakeTheImagesMedianNotZero() {
        byte[] src = new byte[28 * 28];
        Arrays.fill(src, (byte) 200);
        byte[] dst = new byte[28 * 28];

        Augmenter.transform(src, 0, 28, 28, 15, 0, 0, Augmenter.median(src, 0, src.length), dst, 0);

        // A rotated uniform image stays uniform only if the uncovered corners are filled with the median.
        for (byte b : dst) {
            assertThat(Byte.toUnsignedInt(b)).isEqualTo(200);
        }
    }

    @Test
    void medianFollowsNumpy() {
        assertThat(Augmenter.median(new byte[]{0, 0, 0, 9}, 0, 4)).isEqualTo(0);
        assertThat(Augmenter.median(new byte[]{1, 3, 2, 8}, 0, 4)).isEqualTo(3); // (2 + 3) / 2 = 2.5, rounded
        assertThat(Augmenter.median(new byte[]{(byte) 250, 5, 7}, 0, 3)).isEqualTo(7);
        assertThat(Augmenter.median(DIGITS.pixels(), 0, 784)).isZero();
    }

    @Test
    void rotationIsBoundedByTheMaximumAngle() {
        // A single bright pixel 10 px right of the centre moves along a circle by at most 15 degrees.
        byte[] src = new byte[28 * 28];
        src[14 * 28 + 24] = (byte) 255;
        double centre = 13.5;
        for (double degrees : new double[]{-15, -7.5, 0, 7.5, 15}) {
            byte[] dst = new byte[28 * 28];
            Augmenter.transform(src, 0, 28, 28, degrees, 0, 0, 0, dst, 0);
            double sumX = 0, sumY = 0, mass = 0;
            for (int p = 0; p < dst.length; p++) {
                int v = Byte.toUnsignedInt(dst[p]);
                sumX += v * (p % 28);
                sumY += v * (p / 28);
                mass += v;
            }
            double angle = Math.toDegrees(Math.atan2(-(sumY / mass - centre), sumX / mass - centre));
            double expected = Math.toDegrees(Math.atan2(-(14 - centre), 24 - centre)) + degrees;
            assertThat(angle).as("rotation by %s", degrees).isCloseTo(expected, org.assertj.core.data.Offset.offset(1.5));
        }
    }

    @Test
    void shiftsStayWithinTheTutorialsRange() {
        // With rotation off, each copy is exactly its original moved by whole pixels in [-2, 1] per axis.
        LabeledImages shifted = Augmenter.augment(DIGITS, new Augmentation(4, 0.0, 2), 3);
        int[] seenDx = new int[4];
        for (int i = 0; i < 50; i++) {
            byte[] original = image(shifted, i * 5);
            for (int c = 1; c <= 4; c++) {
                byte[] copy = image(shifted, i * 5 + c);
                int[] shift = wholePixelShift(original, copy);
                assertThat(shift).as("copy %d of image %d is a whole-pixel shift", c, i).isNotNull();
                assertThat(shift[0]).isBetween(-2, 1);
                assertThat(shift[1]).isBetween(-2, 1);
                seenDx[shift[0] + 2]++;
            }
        }
        assertThat(seenDx).as("every shift from -2 to 1 occurs").doesNotContain(0);
    }

    /** The (dx, dy) in [-4, 4] that turns {@code original} into {@code copy}, filling with 0, or null. */
    private static int[] wholePixelShift(byte[] original, byte[] copy) {
        for (int dx = -4; dx <= 4; dx++) {
            for (int dy = -4; dy <= 4; dy++) {
                byte[] moved = new byte[784];
                Augmenter.transform(original, 0, 28, 28, 0, dx, dy, 0, moved, 0);
                if (Arrays.equals(moved, copy)) {
                    return new int[]{dx, dy};
                }
            }
        }
        return null;
    }

    private static byte[] image(LabeledImages images, int index) {
        return Arrays.copyOfRange(images.pixels(), index * 784, (index + 1) * 784);
    }
}
