package dev.cnnensemble.dataset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the IDX format of MNIST-like datasets: unsigned-byte image tensors (magic 0x00000803)
 * and label vectors (magic 0x00000801), big-endian headers. The same checks serve the files on
 * disk and uploads held in memory.
 */
public final class IdxReader {

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;
    /** An images file's magic number and three dimensions, four bytes each. */
    static final int IMAGES_HEADER_BYTES = 16;

    private IdxReader() {
    }

    /** Reads and cross-checks an image file and its label file. */
    public static LabeledImages read(Path imagesFile, Path labelsFile, int classes) {
        return read(load(imagesFile), imagesFile.toString(), load(labelsFile), labelsFile.toString(), classes);
    }

    /**
     * Reads and cross-checks images and labels held in memory.
     *
     * @param imagesName how errors name the images, e.g. the upload's part
     * @param classes    labels must be below it
     */
    public static LabeledImages read(byte[] images, String imagesName, byte[] labels, String labelsName, int classes) {
        ImageTensor tensor = readImages(images, imagesName);
        byte[] labelBytes = readLabels(labels, labelsName, classes);
        if (labelBytes.length != tensor.count()) {
            throw new IdxFormatException(labelsName, "mismatched counts: " + labelBytes.length + " labels for the "
                    + tensor.count() + " images of " + imagesName);
        }
        return new LabeledImages(tensor.pixels(), labelBytes, tensor.rows(), tensor.cols(), classes);
    }

    static ImageTensor readImages(Path file) {
        return readImages(load(file), file.toString());
    }

    /**
     * One image's pixels, read in place from a verified images file, without reading the rest of it.
     *
     * @param pixels the pixels of one image, rows x columns
     */
    static byte[] readImage(Path file, int index, int pixels) {
        ByteBuffer image = ByteBuffer.allocate(pixels);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = IMAGES_HEADER_BYTES + (long) index * pixels;
            while (image.hasRemaining()) {
                if (channel.read(image, position + image.position()) < 0) {
                    throw new IdxFormatException(file.toString(), "truncated: ends before image " + index);
                }
            }
        } catch (IOException e) {
            throw new IdxFormatException(file.toString(), "cannot be read: " + e.getMessage());
        }
        return image.array();
    }

    static byte[] readLabels(Path file, int classes) {
        return readLabels(load(file), file.toString(), classes);
    }

    private static ImageTensor readImages(byte[] bytes, String name) {
        ByteBuffer data = ByteBuffer.wrap(bytes);
        requireHeader(name, data, IMAGES_HEADER_BYTES);
        requireMagic(name, data.getInt(0), IMAGES_MAGIC);
        int count = data.getInt(4);
        int rows = data.getInt(8);
        int cols = data.getInt(12);
        if (count < 0 || rows <= 0 || cols <= 0 || rows > 4096 || cols > 4096) {
            throw new IdxFormatException(name, "implausible dimensions " + count + "x" + rows + "x" + cols);
        }
        long expected = IMAGES_HEADER_BYTES + (long) count * rows * cols;
        requireLength(name, data, expected);
        byte[] pixels = new byte[count * rows * cols];
        data.get(IMAGES_HEADER_BYTES, pixels);
        return new ImageTensor(pixels, count, rows, cols);
    }

    private static byte[] readLabels(byte[] bytes, String name, int classes) {
        ByteBuffer data = ByteBuffer.wrap(bytes);
        requireHeader(name, data, 8);
        requireMagic(name, data.getInt(0), LABELS_MAGIC);
        int count = data.getInt(4);
        if (count < 0) {
            throw new IdxFormatException(name, "negative label count " + count);
        }
        requireLength(name, data, 8L + count);
        byte[] labels = new byte[count];
        data.get(8, labels);
        for (int i = 0; i < count; i++) {
            int label = Byte.toUnsignedInt(labels[i]);
            if (label >= classes) {
                throw new IdxFormatException(name, "label out of range: label " + label + " at index " + i + " is outside 0.." + (classes - 1));
            }
        }
        return labels;
    }

    private static byte[] load(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IdxFormatException(file.toString(), "cannot be read: " + e.getMessage());
        }
    }

    private static void requireHeader(String name, ByteBuffer data, int headerBytes) {
        if (data.capacity() < headerBytes) {
            throw new IdxFormatException(name, "truncated: " + data.capacity() + " bytes is shorter than the " + headerBytes + "-byte header");
        }
    }

    private static void requireMagic(String name, int actual, int expected) {
        if (actual != expected) {
            throw new IdxFormatException(name, String.format("bad magic number 0x%08x, expected 0x%08x", actual, expected));
        }
    }

    private static void requireLength(String name, ByteBuffer data, long expected) {
        if (data.capacity() != expected) {
            throw new IdxFormatException(name, (data.capacity() < expected ? "truncated" : "has trailing bytes") + ": "
                    + data.capacity() + " bytes, the header implies " + expected);
        }
    }

    record ImageTensor(byte[] pixels, int count, int rows, int cols) {
    }
}
