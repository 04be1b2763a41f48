import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;

import javax.imageio.ImageIO;

/**
 * Writes the first N digits of an IDX image file in both forms of a /predict request, for the load
 * generator to send: digit-N.png (8-bit gray) and digit-N.json ({"images": [[784 numbers in 0..255]]}).
 * JDK only; run as a source file: java bench/DigitFiles.java t10k-images-idx3-ubyte 100 bench-data/digits
 */
public class DigitFiles {

    public static void main(String[] args) throws IOException {
        Path idx = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        Path out = Files.createDirectories(Path.of(args[2]));
        try (InputStream raw = Files.newInputStream(idx); DataInputStream in = new DataInputStream(raw)) {
            if (in.readInt() != 0x00000803) {
                throw new IOException(idx + " is not an IDX image file");
            }
            int images = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            for (int i = 0; i < Math.min(count, images); i++) {
                byte[] pixels = new byte[rows * cols];
                in.readFully(pixels);
                BufferedImage image = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
                image.getRaster().setDataElements(0, 0, cols, rows, pixels);
                ImageIO.write(image, "png", out.resolve("digit-" + i + ".png").toFile());
                StringJoiner numbers = new StringJoiner(",", "{\"images\": [[", "]]}");
                for (byte pixel : pixels) {
                    numbers.add(Integer.toString(Byte.toUnsignedInt(pixel)));
                }
                Files.writeString(out.resolve("digit-" + i + ".json"), numbers.toString());
            }
        }
    }
}
