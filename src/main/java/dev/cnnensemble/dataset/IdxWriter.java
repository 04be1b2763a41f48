package dev.cnnensemble.dataset;

import dev.cnnensemble.support.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** Writes images and labels in the IDX format that {@link IdxReader} reads, so uploads are kept as the built-ins are. */
public final class IdxWriter {

    private IdxWriter() {
    }

    /** Each file appears whole or not at all. */
    public static void write(LabeledImages data, Path imagesFile, Path labelsFile) throws IOException {
        AtomicFiles.writeBytes(imagesFile, images(data));
        AtomicFiles.writeBytes(labelsFile, labels(data));
    }

    /** The images file's bytes: magic, count, rows, columns, then the pixels. */
    public static byte[] images(LabeledImages data) {
        return ByteBuffer.allocate(IdxReader.IMAGES_HEADER_BYTES + data.pixels().length)
                .putInt(IdxReader.IMAGES_MAGIC).putInt(data.size()).putInt(data.rows()).putInt(data.cols())
                .put(data.pixels()).array();
    }

    /** The labels file's bytes: magic, count, then the labels. */
    public static byte[] labels(LabeledImages data) {
        return ByteBuffer.allocate(8 + data.size()).putInt(IdxReader.LABELS_MAGIC).putInt(data.size()).put(data.labels()).array();
    }
}
