package dev.cnnensemble.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cnnensemble.dataset.LabeledImages;
import dev.cnnensemble.dataset.RealData;
import dev.cnnensemble.dataset.RequiresMnist;
import dev.cnnensemble.imaging.ImagingExceptions.UndecodableImage;
import dev.cnnensemble.imaging.ImagingExceptions.UnprocessableImage;
import dev.cnnensemble.imaging.ImagingExceptions.UnsupportedImageFormat;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

@RequiresMnist
class ImageDecoderTest {

    private static final LabeledImages TEST = RealData.mnist().test();
    private final ImageDecoder decoder = new ImageDecoder(4096L * 4096, "cnn.inference.max-image-pixels");

    @Test
    void losslessFormatsKeepMnistsExactValues() {
        for (int index : new int[]{0, 1, 2, 3, 4}) {
            int[] gray = Images.gray(TEST, index);
            float[] expected = new float[784];
            for (int p = 0; p < 784; p++) {
                expected[p] = gray[p] / 255f;
            }
            assertThat(decode(Images.png(gray))).containsExactly(expected);
            assertThat(decode(Images.encode(Images.rgbImage(gray, 28, 28, false), "png"))).containsExactly(expected);
            assertThat(decode(Images.encode(Images.rgbImage(gray, 28, 28, true), "png"))).containsExactly(expected);
            assertThat(decode(Images.encode(Images.grayImage(gray, 28, 28), "bmp"))).containsExactly(expected);
            assertThat(decode(Images.encode(Images.grayImage(gray, 28, 28), "gif"))).containsExactly(expected);
        }
    }

    @Test
    void jpegStaysCloseToTheOriginal() {
        int[] gray = Images.gray(TEST, 0);
        float[] decoded = decode(Images.encode(Images.grayImage(gray, 28, 28), "jpeg"));
        double meanError = 0;
        for (int p = 0; p < 784; p++) {
            meanError += Math.abs(decoded[p] - gray[p] / 255f) / 784;
        }
        assertThat(meanError).isLessThan(0.03);
    }

    @Test
    void transparentPixelsBecomePaperAndColourBecomesLuminance() {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0x00000000);          // fully transparent black: white paper
        image.setRGB(1, 0, 0x80000000);          // half-transparent black: mid gray
        image.setRGB(2, 0, 0xffff0000);          // opaque red: Rec. 601 luminance 0.299
        float[] pixels = decode(Images.encode(image, "png"));
        assertThat(pixels[0]).isEqualTo(1f);
        assertThat(pixels[1]).isCloseTo(1f - 128 / 255f, within(1e-6f));
        assertThat(pixels[2]).isCloseTo(0.299f, within(1e-6f));
    }

    @Test
    void sixteenBitGrayIsScaledToOne() {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setSample(5, 5, 0, 65535);
        image.getRaster().setSample(6, 5, 0, 32768);
        float[] pixels = decode(Images.encode(image, "png"));
        assertThat(pixels[5 * 28 + 5]).isEqualTo(1f);
        assertThat(pixels[5 * 28 + 6]).isCloseTo(0.5f, within(1e-4f));
        assertThat(pixels[0]).isZero();
    }

    @Test
    void badBytesAreNamedByTheirPart() {
        byte[] png = Images.png(Images.gray(TEST, 0));
        assertThatThrownBy(() -> decoder.decode(new byte[0], "images[0] (a.png)", false))
                .isInstanceOf(UndecodableImage.class).hasMessage("images[0] (a.png) is empty (0 bytes)");
        assertThatThrownBy(() -> decoder.decode(Arrays.copyOf(png, png.length / 2), "images[1] (cut.png)", false))
                .isInstanceOf(UndecodableImage.class).hasMessageStartingWith("images[1] (cut.png) cannot be decoded");
        assertThatThrownBy(() -> decoder.decode("not an image at all\n".getBytes(StandardCharsets.US_ASCII), "images[2] (text.png)", false))
                .isInstanceOf(UndecodableImage.class).hasMessage("images[2] (text.png) is not a PNG, JPEG, GIF or BMP image");
    }

    @Test
    void otherFormatsAreRefusedAsUnsupported() {
        byte[] tiff = Images.encode(Images.grayImage(Images.gray(TEST, 0), 28, 28), "tiff");
        assertThatThrownBy(() -> decoder.decode(tiff, "images[0]", false))
                .isInstanceOf(UnsupportedImageFormat.class).hasMessageContaining("TIF");
    }

    @Test
    void sizeIsCheckedFromTheHeaderBeforeDecoding() {
        byte[] huge = Images.pngClaiming(20000, 20000);
        assertThatThrownBy(() -> decoder.decode(huge, "images[0]", false))
                .isInstanceOf(UnprocessableImage.class).hasMessageContaining("is 20000x20000; images must be 28x28");
        assertThatThrownBy(() -> decoder.decode(huge, "images[0]", true))
                .isInstanceOf(UnprocessableImage.class).hasMessageContaining("more than the 16777216 pixels this service decodes (cnn.inference.max-image-pixels)");
        assertThatThrownBy(() -> decoder.decode(Images.pngClaiming(28, 29), "images[0]", false))
                .isInstanceOf(UnprocessableImage.class).hasMessageContaining("28x29");
    }

    private float[] decode(byte[] bytes) {
        GrayImage image = decoder.decode(bytes, "images[0]", false);
        assertThat(image.width()).isEqualTo(28);
        return image.pixels();
    }
}
