package dev.cnnensemble.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cnnensemble.dataset.LabeledImages;
import dev.cnnensemble.dataset.RealData;
import dev.cnnensemble.dataset.RequiresMnist;
import dev.cnnensemble.imaging.ImagingExceptions.UnprocessableImage;
import dev.cnnensemble.imaging.Preprocessing.Invert;

import org.junit.jupiter.api.Test;

@RequiresMnist
class PreprocessingTest {

    private static final LabeledImages TEST = RealData.mnist().test();

    @Test
    void autoInvertsPaperAndLeavesMnistAlone() {
        GrayImage digit = gray(Images.gray(TEST, 0), 28, 28);
        GrayImage paper = gray(Images.onPaper(Images.gray(TEST, 0)), 28, 28);

        Preprocessing.Prepared asIs = Preprocessing.prepare(digit, Invert.AUTO, false, "images[0]");
        Preprocessing.Prepared inverted = Preprocessing.prepare(paper, Invert.AUTO, false, "images[1]");

        assertThat(asIs.inverted()).isFalse();
        assertThat(asIs.pixels()).containsExactly(digit.pixels());
        assertThat(inverted.inverted()).isTrue();
        for (int p = 0; p < 784; p++) {
            assertThat(inverted.pixels()[p]).isCloseTo(digit.pixels()[p], within(1e-6f));
        }
        assertThat(Preprocessing.prepare(digit, Invert.TRUE, false, "x").pixels()[0]).isEqualTo(1f);
        assertThat(Preprocessing.prepare(paper, Invert.FALSE, false, "x").inverted()).isFalse();
    }

    @Test
    void mnistStyleRecoversADigitDrawnLargeAndOffCentreOnPaper() {
        int[] original = Images.gray(TEST, 0);
        // The digit's 20x20-ish ink, 6x larger, in the corner of a 300x200 sheet of paper.
        int scale = 6;
        int[] sheet = new int[300 * 200];
        java.util.Arrays.fill(sheet, 255);
        for (int y = 0; y < 28 * scale; y++) {
            for (int x = 0; x < 28 * scale; x++) {
                sheet[(y + 20) * 300 + x + 110] = 255 - original[(y / scale) * 28 + x / scale];
            }
        }
        Preprocessing.Prepared prepared = Preprocessing.prepare(gray(sheet, 300, 200), Invert.AUTO, true, "images[0]");

        assertThat(prepared.inverted()).isTrue();
        float[] restored = prepared.pixels();
        float[] expected = gray(original, 28, 28).pixels();
        assertThat(correlation(restored, expected)).isGreaterThan(0.85);
        double[] centre = centreOfMass(restored);
        assertThat(centre[0]).isCloseTo(14, within(1.0));
        assertThat(centre[1]).isCloseTo(14, within(1.0));
    }

    @Test
    void mnistStyleFitsTheInkInto20Pixels() {
        float[] bar = new float[100 * 10];
        java.util.Arrays.fill(bar, 1f);
        float[] out = Preprocessing.prepare(new GrayImage(100, 10, bar), Invert.FALSE, true, "x").pixels();
        int inkColumns = 0;
        for (int x = 0; x < 28; x++) {
            if (out[14 * 28 + x] > 0.5f) {
                inkColumns++;
            }
        }
        assertThat(inkColumns).isEqualTo(20);
    }

    @Test
    void resamplingKeepsTheMeanBrightness() {
        float[] source = new float[37 * 23];
        for (int i = 0; i < source.length; i++) {
            source[i] = (i * 7919 % 101) / 100f;
        }
        assertThat(mean(Preprocessing.resample(source, 37, 23, 11, 13))).isCloseTo(mean(source), within(0.02));
        assertThat(mean(Preprocessing.resample(source, 37, 23, 74, 46))).isCloseTo(mean(source), within(1e-4));
    }

    @Test
    void blankOrWrongSizedImagesCannotBeUsed() {
        assertThatThrownBy(() -> Preprocessing.prepare(new GrayImage(40, 40, new float[1600]), Invert.FALSE, true, "images[3]"))
                .isInstanceOf(UnprocessableImage.class).hasMessageContaining("images[3] has no ink");
        assertThatThrownBy(() -> Preprocessing.prepare(new GrayImage(40, 40, new float[1600]), Invert.FALSE, false, "images[3]"))
                .isInstanceOf(UnprocessableImage.class).hasMessageContaining("preprocess=mnist");
    }

    private static GrayImage gray(int[] values, int width, int height) {
        float[] pixels = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            pixels[i] = values[i] / 255f;
        }
        return new GrayImage(width, height, pixels);
    }

    private static double mean(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double correlation(float[] a, float[] b) {
        double ma = mean(a), mb = mean(b), ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return ab / Math.sqrt(aa * bb);
    }

    private static double[] centreOfMass(float[] image) {
        double mass = 0, x = 0, y = 0;
        for (int i = 0; i < image.length; i++) {
            mass += image[i];
            x += image[i] * (i % 28);
            y += image[i] * (i / 28);
        }
        return new double[]{x / mass, y / mass};
    }
}
