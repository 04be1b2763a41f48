package dev.cnnensemble.dataset.upload;

import static dev.cnnensemble.model.InputShape.PIXELS;
import static dev.cnnensemble.model.InputShape.SIDE;

import dev.cnnensemble.dataset.IdxFormatException;
import dev.cnnensemble.dataset.IdxReader;
import dev.cnnensemble.dataset.LabeledImages;
import dev.cnnensemble.dataset.upload.UploadExceptions.UnusableUpload;
import dev.cnnensemble.dataset.upload.UploadExceptions.UploadTooLarge;
import dev.cnnensemble.dataset.upload.ZipLayout.ImageEntry;
import dev.cnnensemble.imaging.ImageDecoder;
import dev.cnnensemble.imaging.Preprocessing;
import dev.cnnensemble.support.ProblemException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.zip.ZipFile;
import org.jspecify.annotations.Nullable;

/**
 * Reads an uploaded dataset into memory and checks it: the IDX form or a zip of images. Images from
 * a zip are decoded and prepared exactly as {@code /predict} prepares them.
 */
public final class DatasetReader {

    /** The setting named when an uploaded image has more pixels than the limit. */
    public static final String MAX_IMAGE_PIXELS_PROPERTY = "cnn.datasets.uploads.max-image-pixels";
    private static final int MIN_CLASSES = 2;
    private static final int MAX_CLASSES = 100;
    private static final int MAX_CLASS_NAME = 100;
    private static final double DEFAULT_TEST_SPLIT = 0.1;
    /** One seed for every split, so the same upload always gives the same test set. */
    private static final long SPLIT_SEED = 42;
    /** Any unsigned byte: without class names, the labels themselves tell the class count. */
    private static final int ANY_LABEL = 256;

    private final UploadLimits limits;
    private final ImageDecoder decoder;

    public DatasetReader(UploadLimits limits) {
        this.limits = limits;
        this.decoder = new ImageDecoder(limits.maxImagePixels(), MAX_IMAGE_PIXELS_PROPERTY);
    }

    /**
     * The IDX form: each part raw or gzipped, told by the gzip magic (1f 8b), never by a name.
     *
     * @param classNames the classes' names, label 0 first; null names them "0".."k-1" with k the highest label + 1
     * @param testSplit  the share of each class held out for testing when the test parts are absent (default 0.1)
     */
    public UploadedData readIdx(IdxParts parts, @Nullable List<String> classNames, @Nullable Double testSplit) {
        List<String> names = classNames == null ? null : checkedNames(classNames);
        int labelBound = names == null ? ANY_LABEL : names.size();
        LabeledImages train = readIdx(parts.trainImages(), parts.trainLabels(), labelBound);
        LabeledImages test = parts.testImages() == null || parts.testLabels() == null ? null
                : readIdx(parts.testImages(), parts.testLabels(), labelBound);
        int total = train.size() + (test == null ? 0 : test.size());
        if (total > limits.maxImages()) {
            throw new UploadTooLarge("the upload holds " + total + " images, more than the " + limits.maxImages() + " an upload may hold");
        }
        if (names == null) {
            int classes = 1 + Math.max(maxLabel(train), test == null ? 0 : maxLabel(test));
            checkClassCount(classes, "the labels");
            names = IntStream.range(0, classes).mapToObj(String::valueOf).toList();
        }
        return assemble(names, train.pixels(), train.labels(), test == null ? null : test.pixels(), test == null ? null : test.labels(), testSplit);
    }

    /**
     * A zip of images, one folder per class. On disk, so that its central directory is checked (sizes,
     * names, links, count) before any entry is inflated.
     *
     * @param classNames      the classes' names, label 0 first; a folder is a name or its index. Null: the
     *                        folders are the classes, in natural order ("2" before "10")
     * @param preprocessMnist crop, scale and centre images of any size as MNIST was made; without it images must be 28x28
     * @param testSplit       the share of each class held out for testing when the zip has no test folder (default 0.1)
     */
    public UploadedData readZip(Path zip, @Nullable List<String> classNames, boolean preprocessMnist, Preprocessing.Invert invert,
                                @Nullable Double testSplit) {
        List<String> given = classNames == null ? null : checkedNames(classNames);
        try (ZipFile file = ZipFile.builder().setPath(zip).get()) {
            ZipLayout layout = ZipLayout.of(file, limits);
            List<String> names = given;
            if (names == null) {
                names = List.copyOf(ZipLayout.classFolders(layout.train()));
                checkClassCount(names.size(), "the class folders");
            }
            Map<String, Integer> labelOf = labelsOfFolders(names, given != null);
            byte[] trainPixels = decode(file, layout.train(), preprocessMnist, invert);
            byte[] testPixels = layout.test().isEmpty() ? null : decode(file, layout.test(), preprocessMnist, invert);
            return assemble(names, trainPixels, labels(layout.train(), labelOf), testPixels,
                    layout.test().isEmpty() ? null : labels(layout.test(), labelOf), testSplit);
        } catch (IOException e) {
            throw new UnusableUpload("the zip cannot be read: " + e.getMessage());
        }
    }

    private LabeledImages readIdx(IdxParts.Part imagesPart, IdxParts.Part labelsPart, int labelBound) {
        byte[] images = readBounded(imagesPart, (long) limits.maxImages() * PIXELS + 16);
        byte[] labels = readBounded(labelsPart, limits.maxImages() + 8L);
        LabeledImages read;
        try {
            read = IdxReader.read(images, imagesPart.name(), labels, labelsPart.name(), labelBound);
        } catch (IdxFormatException e) {
            throw new UnusableUpload(e.getMessage());
        }
        if (read.rows() != SIDE || read.cols() != SIDE) {
            throw new UnusableUpload(imagesPart.name() + " holds " + read.rows() + "x" + read.cols() + " images; images must be " + SIDE + "x" + SIDE);
        }
        return read;
    }

    /**
     * The part's bytes, inflated when gzipped, but never more than {@code bound}: a gzip bomb stops
     * inflating one buffer past it.
     */
    private static byte[] readBounded(IdxParts.Part part, long bound) {
        try (InputStream raw = new BufferedInputStream(part.stream().open())) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            try (InputStream in = gzip ? new GZIPInputStream(raw) : raw) {
                byte[] bytes = in.readNBytes((int) Math.min(bound + 1, Integer.MAX_VALUE - 8));
                if (bytes.length > bound) {
                    throw new UploadTooLarge(part.name() + " holds more than " + bound + " bytes" + (gzip ? " once inflated" : "")
                            + ", more than the images an upload may hold take");
                }
                return bytes;
            }
        } catch (IOException e) {
            throw new UnusableUpload(part.name() + " cannot be read: " + e.getMessage());
        }
    }

    /** Each image decoded and prepared, as bytes: 0..1 back to 0..255, exact for 8-bit gray (decoded as v/255). */
    private byte[] decode(ZipFile zip, List<ImageEntry> images, boolean preprocessMnist, Preprocessing.Invert invert) {
        byte[] pixels = new byte[images.size() * PIXELS];
        for (int i = 0; i < images.size(); i++) {
            String name = images.get(i).entry().getName();
            float[] prepared;
            try {
                prepared = Preprocessing.prepare(decoder.decode(inflate(zip, images.get(i)), name, preprocessMnist),
                        invert, preprocessMnist, name).pixels();
            } catch (ProblemException e) {
                // One status for everything wrong inside an upload: the request itself was well formed.
                throw new UnusableUpload(e.getMessage());
            }
            for (int p = 0; p < PIXELS; p++) {
                pixels[i * PIXELS + p] = (byte) Math.min(255, Math.round(prepared[p] * 255));
            }
        }
        return pixels;
    }

    /** An entry's bytes, stopped one past its declared size: the central directory may lie. */
    private static byte[] inflate(ZipFile zip, ImageEntry image) {
        long declared = image.entry().getSize();
        if (declared >= Integer.MAX_VALUE - 8) {
            throw new UploadTooLarge(image.entry().getName() + " declares " + declared + " bytes, too many for one image");
        }
        try (InputStream in = zip.getInputStream(image.entry())) {
            byte[] bytes = in.readNBytes((int) declared + 1);
            if (bytes.length > declared) {
                throw new UnusableUpload(image.entry().getName() + " inflates to more than the " + declared + " bytes its entry declares");
            }
            return bytes;
        } catch (IOException e) {
            throw new UnusableUpload(image.entry().getName() + " cannot be inflated: " + e.getMessage());
        }
    }

    private static byte[] labels(List<ImageEntry> images, Map<String, Integer> labelOf) {
        byte[] labels = new byte[images.size()];
        for (int i = 0; i < labels.length; i++) {
            ImageEntry image = images.get(i);
            Integer label = labelOf.get(image.path().classFolder());
            if (label == null) {
                throw new UnusableUpload(image.entry().getName() + " is in folder '" + image.path().classFolder()
                        + "', which is neither a class name nor a class index");
            }
            labels[i] = (byte) (int) label;
        }
        return labels;
    }

    /** With class names given, a folder may be a name or its index; without, the names are the folders. */
    private static Map<String, Integer> labelsOfFolders(List<String> names, boolean indexesToo) {
        Map<String, Integer> labels = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            if (indexesToo) {
                labels.put(String.valueOf(i), i);
            }
            labels.put(names.get(i), i);
        }
        return labels;
    }

    /** The test set given, or split off the training set; then every class must have enough to train on. */
    private UploadedData assemble(List<String> names, byte[] trainPixels, byte[] trainLabels, byte @Nullable [] testPixels,
                                  byte @Nullable [] testLabels, @Nullable Double testSplit) {
        int classes = names.size();
        LabeledImages train = new LabeledImages(trainPixels, trainLabels, SIDE, SIDE, classes);
        LabeledImages test;
        if (testPixels != null && testLabels != null) {
            if (testSplit != null) {
                throw new UnusableUpload("testSplit " + testSplit + " was given with test data; send one or the other");
            }
            test = new LabeledImages(testPixels, testLabels, SIDE, SIDE, classes);
        } else {
            double split = testSplit == null ? DEFAULT_TEST_SPLIT : testSplit;
            if (!(split > 0 && split <= 0.5)) {
                throw new UnusableUpload("testSplit " + split + " is outside (0, 0.5]");
            }
            boolean[] held = stratifiedSplit(trainLabels, classes, split);
            test = select(train, held, true);
            train = select(train, held, false);
        }
        int[] counts = new int[classes];
        for (byte label : train.labels()) {
            counts[label]++;
        }
        for (int c = 0; c < classes; c++) {
            if (counts[c] < limits.minImagesPerClass()) {
                throw new UnusableUpload("class '" + names.get(c) + "' (label " + c + ") has " + counts[c] + " training images; each class needs at least "
                        + limits.minImagesPerClass());
            }
        }
        return new UploadedData(names, train, test);
    }

    /**
     * Which images are held out: per class, round(n * split) of them, at least one when a class has two
     * or more and never all; chosen by a seeded shuffle, so the same upload gives the same sets.
     */
    private static boolean[] stratifiedSplit(byte[] labels, int classes, double split) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        boolean[] held = new boolean[labels.length];
        for (List<Integer> members : byClass) {
            int n = members.size();
            int count = n < 2 ? 0 : (int) Math.min(n - 1, Math.max(1, Math.round(n * split)));
            List<Integer> shuffled = new ArrayList<>(members);
            Collections.shuffle(shuffled, new Random(SPLIT_SEED));
            shuffled.subList(0, count).forEach(i -> held[i] = true);
        }
        return held;
    }

    /** The images marked {@code which}, in their order. */
    private static LabeledImages select(LabeledImages all, boolean[] marks, boolean which) {
        int[] chosen = IntStream.range(0, all.size()).filter(i -> marks[i] == which).toArray();
        byte[] pixels = new byte[chosen.length * PIXELS];
        byte[] labels = new byte[chosen.length];
        for (int k = 0; k < chosen.length; k++) {
            System.arraycopy(all.pixels(), chosen[k] * PIXELS, pixels, k * PIXELS, PIXELS);
            labels[k] = all.labels()[chosen[k]];
        }
        return new LabeledImages(pixels, labels, SIDE, SIDE, all.classes());
    }

    private static List<String> checkedNames(List<String> names) {
        checkClassCount(names.size(), "the class names");
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name == null || name.isBlank() || name.length() > MAX_CLASS_NAME) {
                throw new UnusableUpload("class name " + i + " must be 1 to " + MAX_CLASS_NAME + " characters, not blank");
            }
        }
        if (new HashSet<>(names).size() != names.size()) {
            throw new UnusableUpload("the class names repeat a name: " + names);
        }
        return List.copyOf(names);
    }

    private static void checkClassCount(int classes, String what) {
        if (classes < MIN_CLASSES) {
            throw new UnusableUpload(what + " give " + (classes == 1 ? "one class only" : "no class") + "; a dataset needs "
                    + MIN_CLASSES + " to " + MAX_CLASSES);
        }
        if (classes > MAX_CLASSES) {
            throw new UnusableUpload(what + " give " + classes + " classes; a dataset has " + MIN_CLASSES + " to " + MAX_CLASSES);
        }
    }

    private static int maxLabel(LabeledImages images) {
        int max = 0;
        for (byte label : images.labels()) {
            max = Math.max(max, Byte.toUnsignedInt(label));
        }
        return max;
    }
}
