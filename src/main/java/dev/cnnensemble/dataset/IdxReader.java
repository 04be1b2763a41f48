package dev.cnnensemble.dataset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the IDX format of MNIST-like datasets: unsigned-byte image tensors (magic 0x00000803)
 * and label vectors (magic 0x00000801), big-endian headers.
 */
public final class IdxReader {

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /** Reads and cross-checks an image file and its label file. */
    public static LabeledImages read(Path imagesFile, Path labelsFile, int classes) {
        ImageTensor images = readImages(imagesFile);
        byte[] labels = readLabels(labelsFile, classes);
        if (labels.length != images.count()) {
            throw new IdxFormatException(labelsFile, "holds " + labels.length + " labels but " + imagesFile.getFileName()
                    + " holds " + images.count() + " images");
        }
        return new LabeledImages(images.pixels(), labels, images.rows(), images.cols(), classes);
    }

    static ImageTensor readImages(Path file) {
        ByteBuffer data = load(file);
        requireHeader(file, data, 16);
        requireMagic(file, data.getInt(0), IMAGES_MAGIC);
        int count = data.getInt(4);
        int rows = data.getInt(8);
        int cols = data.getInt(12);
        if (count < 0 || rows <= 0 || cols <= 0 || rows > 4096 || cols > 4096) {
            throw new IdxFormatException(file, "implausible dimensions " + count + "x" + rows + "x" + cols);
        }
        long expected = 16L + (long) count * rows * cols;
        requireLength(file, data, expected);
        byte[] pixels = new byte[count * rows * cols];
        data.get(16, pixels);
        return new ImageTensor(pixels, count, rows, cols);
    }

    static byte[] readLabels(Path file, int classes) {
        ByteBuffer data = load(file);
        requireHeader(file, data, 8);
        requireMagic(file, data.getInt(0), LABELS_MAGIC);
        int count = data.getInt(4);
        if (count < 0) {
            throw new IdxFormatException(file, "negative label count " + count);
        }
        requireLength(file, data, 8L + count);
        byte[] labels = new byte[count];
        data.get(8, labels);
        for (int i = 0; i < count; i++) {
            int label = Byte.toUnsignedInt(labels[i]);
            if (label >= classes) {
                throw new IdxFormatException(file, "label " + label + " at index " + i + " is outside 0.." + (classes - 1));
            }
        }
        return labels;
    }

    private static ByteBuffer load(Path file) {
        try {
            return ByteBuffer.wrap(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IdxFormatException(file, "cannot be read: " + e.getMessage());
        }
    }

    private static void requireHeader(Path file, ByteBuffer data, int headerBytes) {
        if (data.capacity() < headerBytes) {
            throw new IdxFormatException(file, "truncated: " + data.capacity() + " bytes is shorter than the " + headerBytes + "-byte header");
        }
    }

    private static void requireMagic(Path file, int actual, int expected) {
        if (actual != expected) {
            throw new IdxFormatException(file, String.format("bad magic number 0x%08x, expected 0x%08x", actual, expected));
        }
    }

    private static void requireLength(Path file, ByteBuffer data, long expected) {
        if (data.capacity() != expected) {
            throw new IdxFormatException(file, (data.capacity() < expected ? "truncated" : "has trailing bytes") + ": "
                    + data.capacity() + " bytes, the header implies " + expected);
        }
    }

    record ImageTensor(byte[] pixels, int count, int rows, int cols) {
    }
}
