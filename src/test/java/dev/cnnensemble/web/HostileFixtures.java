package dev.cnnensemble.web;

import dev.cnnensemble.dataset.upload.UploadFixtures;
import dev.cnnensemble.imaging.Images;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import javax.imageio.ImageIO;

/**
 * The binary bodies of {@code hostile-requests.json}, by the name a case gives in {@code {{file:NAME}}} or a
 * part's {@code file}. Each is made from the real digit in {@code docs/examples/seven.png}, a few bytes
 * patched where a header lies, so nothing binary is committed. A name not made here is read from
 * {@code src/test/resources/hostile/NAME}: a new fixture is one line below, or one file there.
 */
final class HostileFixtures {

    private static final Map<String, Supplier<byte[]>> MADE = Map.ofEntries(
            // The README's digit, drawn on paper and photographed: 240x240 RGB.
            Map.entry("seven.png", HostileFixtures::seven),
            // The same digit as MNIST has it: 28x28, white on black, in each format the service reads, and two it refuses.
            Map.entry("seven-28.png", () -> Images.encode(seven28(), "png")),
            Map.entry("seven-28.gif", () -> Images.encode(seven28(), "gif")),
            Map.entry("seven-28.bmp", () -> Images.encode(seven28(), "bmp")),
            Map.entry("seven-28.jpg", () -> Images.encode(seven28(), "jpeg")),
            Map.entry("seven-28.tiff", () -> Images.encode(seven28(), "tiff")),
            Map.entry("seven-28.wbmp", () -> Images.encode(binary(seven28()), "wbmp")),
            Map.entry("truncated.png", () -> {
                byte[] png = bytes("seven-28.png");
                return Arrays.copyOf(png, png.length / 2);
            }),
            Map.entry("black-1x1.png", () -> Images.encode(Images.grayImage(new int[1], 1, 1), "png")),
            // Headers that lie about the size: a decoder that trusted them would allocate gigabytes.
            Map.entry("png-100000x100000.png", () -> Images.pngClaiming(100_000, 100_000)),
            Map.entry("png-4097x4096.png", () -> Images.pngClaiming(4097, 4096)),
            Map.entry("png-0x28.png", () -> Images.pngClaiming(0, 28)),
            Map.entry("png-negative-width.png", () -> Images.pngClaiming(Integer.MIN_VALUE, 28)),
            Map.entry("gif-65535x65535.gif", HostileFixtures::hugeGif),
            Map.entry("bmp-100000x100000.bmp", HostileFixtures::hugeBmp),
            Map.entry("jpeg-65500x65500.jpg", HostileFixtures::hugeJpeg),
            // A real decompression bomb at the limit: 4096x4096 = cnn.inference.max-image-pixels of black in a few KB.
            Map.entry("bomb-4096x4096.png", () -> Images.encode(new BufferedImage(4096, 4096, BufferedImage.TYPE_BYTE_GRAY), "png")),
            // Formats Java has no reader for: a 1x1 lossless WebP.
            Map.entry("pixel.webp", () -> Base64.getDecoder().decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")),
            Map.entry("job.json.gz", () -> UploadFixtures.gzip("{\"dataset\": \"nowhere\"}".getBytes())));

    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

    private HostileFixtures() {
    }

    static byte[] bytes(String name) {
        return CACHE.computeIfAbsent(name, n -> {
            Supplier<byte[]> made = MADE.get(n);
            if (made != null) {
                return made.get();
            }
            try (InputStream in = HostileFixtures.class.getResourceAsStream("/hostile/" + n)) {
                if (in == null) {
                    throw new IllegalArgumentException("no fixture '" + n + "': add it to HostileFixtures or src/test/resources/hostile/");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).clone();
    }

    private static byte[] seven() {
        try {
            return Files.readAllBytes(Path.of("docs", "examples", "seven.png"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The photographed seven as MNIST would hold it: inverted, scaled into 28x28. */
    private static BufferedImage seven28() {
        try {
            BufferedImage photo = ImageIO.read(new java.io.ByteArrayInputStream(seven()));
            BufferedImage small = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D g = small.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, 28, 28);
            g.drawImage(photo, 4, 4, 20, 20, null);
            g.dispose();
            int[] values = small.getRaster().getPixels(0, 0, 28, 28, (int[]) null);
            return Images.grayImage(Arrays.stream(values).map(v -> 255 - v).toArray(), 28, 28);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage binary(BufferedImage gray) {
        BufferedImage image = new BufferedImage(gray.getWidth(), gray.getHeight(), BufferedImage.TYPE_BYTE_BINARY);
        Graphics2D g = image.createGraphics();
        g.drawImage(gray, 0, 0, null);
        g.dispose();
        return image;
    }

    /**
     * GIF keeps the size twice, little-endian: the logical screen (bytes 6-9) and the image descriptor (0x2C),
     * which follows the global colour table and any extensions.
     */
    private static byte[] hugeGif() {
        byte[] gif = bytes("seven-28.gif");
        ByteBuffer buffer = ByteBuffer.wrap(gif).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(6, (short) 65535).putShort(8, (short) 65535);
        int at = 13 + ((gif[10] & 0x80) != 0 ? 3 << ((gif[10] & 7) + 1) : 0);
        while (gif[at] == 0x21) {
            at += 2;
            while (gif[at] != 0) {
                at += (gif[at] & 0xFF) + 1;
            }
            at++;
        }
        if (gif[at] != 0x2C) {
            throw new IllegalStateException("no image descriptor in the GIF");
        }
        buffer.putShort(at + 5, (short) 65535).putShort(at + 7, (short) 65535);
        return gif;
    }

    /** BMP's BITMAPINFOHEADER: width at byte 18, height at 22, little-endian. */
    private static byte[] hugeBmp() {
        byte[] bmp = bytes("seven-28.bmp");
        ByteBuffer.wrap(bmp).order(ByteOrder.LITTLE_ENDIAN).putInt(18, 100_000).putInt(22, 100_000);
        return bmp;
    }

    /** JPEG's baseline frame header (FF C0): height, then width, big-endian, after its length and precision. */
    private static byte[] hugeJpeg() {
        byte[] jpeg = bytes("seven-28.jpg");
        for (int i = 2; i < jpeg.length - 1; i++) {
            if (jpeg[i] == (byte) 0xFF && jpeg[i + 1] == (byte) 0xC0) {
                ByteBuffer.wrap(jpeg).putShort(i + 5, (short) 65500).putShort(i + 7, (short) 65500);
                return jpeg;
            }
        }
        throw new IllegalStateException("no baseline frame header in the JPEG");
    }
}
