package dev.cnnensemble.imaging;

import dev.cnnensemble.dataset.LabeledImages;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

/** Real MNIST digits, encoded by the test the ways users send them. */
public final class Images {

    private Images() {
    }

    /** The digit's bytes as MNIST stores them: white ink on black. */
    public static int[] gray(LabeledImages images, int index) {
        int[] values = new int[784];
        for (int p = 0; p < 784; p++) {
            values[p] = Byte.toUnsignedInt(images.pixels()[index * 784 + p]);
        }
        return values;
    }

    /** The same digit, black ink on white paper. */
    public static int[] onPaper(int[] gray) {
        return Arrays.stream(gray).map(v -> 255 - v).toArray();
    }

    public static BufferedImage grayImage(int[] values, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setPixels(0, 0, width, height, values);
        return image;
    }

    public static BufferedImage rgbImage(int[] values, int width, int height, boolean alpha) {
        BufferedImage image = new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = values[y * width + x];
                image.setRGB(x, y, 0xff << 24 | v << 16 | v << 8 | v);
            }
        }
        return image;
    }

    public static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] png(int[] gray) {
        return encode(grayImage(gray, 28, 28), "png");
    }

    /** A valid PNG whose header claims another size: decoders that trust it would allocate that much. */
    public static byte[] pngClaiming(int width, int height) {
        byte[] png = png(new int[784]);
        // The IHDR chunk's data starts at byte 16: width, height; its CRC follows the 13 data bytes.
        ByteBuffer buffer = ByteBuffer.wrap(png);
        buffer.putInt(16, width).putInt(20, height);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        buffer.putInt(29, (int) crc.getValue());
        return png;
    }
}
