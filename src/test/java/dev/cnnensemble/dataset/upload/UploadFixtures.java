package dev.cnnensemble.dataset.upload;

import dev.cnnensemble.dataset.LabeledImages;
import dev.cnnensemble.imaging.Images;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Upload bodies made of real images: gzipped parts, zips, and the mnist_png layout. */
public final class UploadFixtures {

    private UploadFixtures() {
    }

    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A zip as the JDK writes it, entries by name. */
    public static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : new TreeMap<>(entries).entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The images as PNGs in mnist_png's layout, by class as it lies on disk: {@code training/<class>/<index>.png}
     * and {@code testing/...}, where index is the image's place in its IDX file.
     *
     * @param folders each label's folder name, by label; empty: the label itself
     */
    public static Map<String, byte[]> mnistPng(String prefix, LabeledImages train, LabeledImages test, List<String> folders) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int label = 0; label < train.classes(); label++) {
            String folder = folders.isEmpty() ? String.valueOf(label) : folders.get(label);
            addClass(entries, prefix + "training/" + folder + "/", train, label);
            addClass(entries, prefix + "testing/" + folder + "/", test, label);
        }
        return entries;
    }

    private static void addClass(Map<String, byte[]> entries, String folder, LabeledImages images, int label) {
        for (int i = 0; i < images.size(); i++) {
            if (images.label(i) == label) {
                entries.put(folder + i + ".png", Images.png(Images.gray(images, i)));
            }
        }
    }
}
