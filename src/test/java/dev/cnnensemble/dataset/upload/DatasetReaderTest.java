package dev.cnnensemble.dataset.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cnnensemble.dataset.IdxReader;
import dev.cnnensemble.dataset.IdxWriter;
import dev.cnnensemble.dataset.LabeledImages;
import dev.cnnensemble.dataset.RealData;
import dev.cnnensemble.dataset.RequiresMnist;
import dev.cnnensemble.imaging.Images;
import dev.cnnensemble.imaging.Preprocessing.Invert;
import dev.cnnensemble.support.ProblemException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpStatus;

@RequiresMnist
class DatasetReaderTest {

    private static final LabeledImages TRAIN = RealData.mnist().train().first(600);
    private static final LabeledImages TEST = RealData.mnist().test().first(100);
    private static final UploadLimits LIMITS = new UploadLimits(1000, 50_000_000, 2, 4096L * 4096);
    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private final DatasetReader reader = new DatasetReader(LIMITS);

    @TempDir
    Path tmp;

    @Test
    void idxRawAndGzippedReadBackTheSlice() throws IOException {
        Map<String, byte[]> files = idxFiles();

        UploadedData raw = reader.readIdx(parts(files, false), null, null);
        UploadedData gzipped = reader.readIdx(parts(files, true), DIGITS, null);

        for (UploadedData data : List.of(raw, gzipped)) {
            assertThat(data.classNames()).isEqualTo(DIGITS);
            assertSame(data.train(), TRAIN);
            assertSame(data.test(), TEST);
        }
    }

    @Test
    void idxWriterWritesWhatIdxReaderReads() {
        Path images = tmp.resolve("images");
        Path labels = tmp.resolve("labels");
        write(TEST, images, labels);

        assertSame(IdxReader.read(images, labels, 10), TEST);
    }

    @Test
    void aZipInTheMnistPngLayoutGivesTheSameBytesAsTheIdxUpload() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>(UploadFixtures.mnistPng("mnist_png/", TRAIN, TEST, List.of()));
        entries.put("mnist_png/.DS_Store", new byte[]{1, 2, 3});
        entries.put("__MACOSX/mnist_png/training/._0", new byte[]{4, 5});

        UploadedData fromZip = reader.readZip(zip(entries), null, false, Invert.AUTO, null);
        UploadedData fromIdx = reader.readIdx(parts(idxFiles(), false), null, null);

        assertThat(fromZip.classNames()).isEqualTo(fromIdx.classNames());
        assertSame(fromZip.train(), fromIdx.train());
        assertSame(fromZip.test(), fromIdx.test());
    }

    @Test
    void classFoldersAloneAreSplitByClassTheSameWayEveryTime() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < TRAIN.size(); i++) {
            entries.put(TRAIN.label(i) + "/" + i + ".png", Images.png(Images.gray(TRAIN, i)));
        }
        Path zip = zip(entries);

        UploadedData first = reader.readZip(zip, null, false, Invert.FALSE, 0.2);
        UploadedData again = reader.readZip(zip, null, false, Invert.FALSE, 0.2);

        assertSame(again.train(), first.train());
        assertSame(again.test(), first.test());
        int[] all = counts(TRAIN);
        int[] test = counts(first.test());
        int[] train = counts(first.train());
        for (int c = 0; c < 10; c++) {
            assertThat(test[c]).as("class %d", c).isEqualTo(Math.round(all[c] * 0.2f));
            assertThat(train[c] + test[c]).isEqualTo(all[c]);
        }
        // Both sets keep the original order: their images are increasing indexes of the slice.
        Map<ByteBuffer, Integer> index = new HashMap<>();
        for (int i = 0; i < TRAIN.size(); i++) {
            index.put(image(TRAIN, i), i);
        }
        for (LabeledImages set : List.of(first.train(), first.test())) {
            int[] order = new int[set.size()];
            for (int i = 0; i < set.size(); i++) {
                order[i] = index.get(image(set, i));
            }
            assertThat(order).isSorted();
        }
    }

    @Test
    void preprocessMnistAcceptsALargeImageAndWithoutItItIsRefused() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            entries.put((i % 2 == 0 ? "even" : "odd") + "/" + i + ".png", Images.png(Images.gray(TRAIN, i)));
        }
        entries.put("odd/big.png", Images.encode(Images.grayImage(scaledUp(Images.gray(TRAIN, 9), 4), 112, 112), "png"));
        Path zip = zip(entries);

        UploadedData data = reader.readZip(zip, List.of("even", "odd"), true, Invert.AUTO, 0.5);
        assertThat(data.train().rows()).isEqualTo(28);
        assertThat(data.train().size() + data.test().size()).isEqualTo(9);

        assertRefused(() -> reader.readZip(zip, List.of("even", "odd"), false, Invert.AUTO, 0.5),
                HttpStatus.UNPROCESSABLE_CONTENT, "odd/big.png is 112x112");
    }

    @Test
    void classFoldersMayBeTheGivenNamesOrTheirIndexes() throws IOException {
        Path zip = zip(Map.of("cat/0.png", png(0), "cat/1.png", png(1), "cat/2.png", png(2), "1/3.png", png(3), "1/4.png", png(4),
                "1/5.png", png(5)));

        UploadedData data = reader.readZip(zip, List.of("cat", "dog"), false, Invert.FALSE, null);

        assertThat(data.classNames()).containsExactly("cat", "dog");
        assertThat(counts(data.train())).containsExactly(2, 2);
        assertRefused(() -> reader.readZip(zip, List.of("dog", "bird"), false, Invert.FALSE, null),
                HttpStatus.UNPROCESSABLE_CONTENT, "cat/0.png is in folder 'cat', which is neither a class name nor a class index");
    }

    @Test
    void aZipBombIsRefusedFromItsCentralDirectory() throws IOException {
        Path zip = zip(Map.of("0/a.png", png(0), "1/zeros.png", new byte[1_000_000]));
        DatasetReader small = new DatasetReader(new UploadLimits(1000, 100_000, 2, 4096L * 4096));

        assertRefused(() -> small.readZip(zip, null, false, Invert.FALSE, null), HttpStatus.CONTENT_TOO_LARGE,
                "zip bomb", "1/zeros.png (1000000 bytes)");
    }

    @Test
    void anEntryThatInflatesPastItsDeclaredSizeIsStopped() throws IOException {
        byte[] lying = UploadFixtures.zip(Map.of("0/a.png", png(0), "0/b.png", png(1), "1/c.png", png(2), "1/d.png", png(3)));
        // The central directory's uncompressed size of the first entry, 24 bytes into its header, now says 10.
        int central = indexOf(lying, new byte[]{0x50, 0x4b, 0x01, 0x02});
        ByteBuffer.wrap(lying).order(ByteOrder.LITTLE_ENDIAN).putInt(central + 24, 10);
        Path zip = Files.write(tmp.resolve("lying.zip"), lying);

        assertRefused(() -> reader.readZip(zip, null, false, Invert.FALSE, null), HttpStatus.UNPROCESSABLE_CONTENT,
                "0/a.png inflates to more than the 10 bytes its entry declares");
    }

    @Test
    void entriesThatLeaveTheFolderOrLinkAreRefused() throws IOException {
        // A name from DOS without a slash, such as "..\\evil.png", is read with slashes, so its ".." is caught.
        for (String name : List.of("../evil.png", "0/../../evil.png", "/abs.png", "C:/evil.png", "0/..\\evil.png", "..\\evil.png")) {
            Path zip = zip(Map.of("0/a.png", png(0), "1/b.png", png(1), name, png(2)));
            assertRefused(() -> reader.readZip(zip, null, false, Invert.FALSE, null), HttpStatus.UNPROCESSABLE_CONTENT,
                    name.contains("/") ? name : name.replace('\\', '/'), ": entry leaves the dataset's folder");
        }
        Path zip = tmp.resolve("link.zip");
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
            ZipArchiveEntry link = new ZipArchiveEntry("0/passwd.png");
            link.setUnixMode(UnixStat.LINK_FLAG | 0777);
            out.putArchiveEntry(link);
            out.write("/etc/passwd".getBytes());
            out.closeArchiveEntry();
        }
        assertRefused(() -> reader.readZip(zip, null, false, Invert.FALSE, null), HttpStatus.UNPROCESSABLE_CONTENT,
                "0/passwd.png is a link");
    }

    @Test
    void misplacedNonImageAndWrongSizedEntriesAreNamed() throws IOException {
        assertZipRefused(Map.of("0/a.png", png(0), "1/b.png", png(1), "readme.png", png(2)), HttpStatus.UNPROCESSABLE_CONTENT,
                "readme.png is not an image in a class folder");
        assertZipRefused(Map.of("0/a.png", png(0), "1/b.png", png(1), "1/sub/c.png", png(2)), HttpStatus.UNPROCESSABLE_CONTENT,
                "1/sub/c.png is not an image in a class folder");
        assertZipRefused(Map.of("train/0/a.png", png(0), "train/1/b.png", png(1), "other/1/c.png", png(2)), HttpStatus.UNPROCESSABLE_CONTENT,
                "other/1/c.png is not an image in train/<class>/ or test/<class>/");
        assertZipRefused(Map.of("train/0/a.png", png(0), "train/1/b.png", png(1), "test/2/c.png", png(2)), HttpStatus.UNPROCESSABLE_CONTENT,
                "test/2/c.png is in class folder '2', which train/ does not have");
        assertZipRefused(Map.of("0/a.png", png(0), "0/b.png", png(1), "1/c.png", png(2), "1/notes.txt", "hello".getBytes()),
                HttpStatus.UNPROCESSABLE_CONTENT, "1/notes.txt is not a PNG, JPEG, GIF or BMP image");
        assertZipRefused(Map.of("0/a.png", png(0), "0/b.png", png(1), "1/c.png", png(2),
                        "1/small.png", Images.encode(Images.grayImage(new int[27 * 28], 27, 28), "png")),
                HttpStatus.UNPROCESSABLE_CONTENT, "1/small.png is 27x28; images must be 28x28");
    }

    @Test
    void classesMustBeTwoOrMoreAndEachNeedsEnoughImages() throws IOException {
        assertZipRefused(Map.of("0/a.png", png(0), "0/b.png", png(1)), HttpStatus.UNPROCESSABLE_CONTENT, "one class only");
        assertZipRefused(Map.of("0/a.png", png(0), "0/b.png", png(1), "0/c.png", png(2), "1/d.png", png(3)),
                HttpStatus.UNPROCESSABLE_CONTENT, "class '1' (label 1) has 1 training images; each class needs at least 2");
    }

    @Test
    void tooManyImagesAreRefused() throws IOException {
        DatasetReader tiny = new DatasetReader(new UploadLimits(3, 50_000_000, 1, 4096L * 4096));
        Path zip = zip(Map.of("0/a.png", png(0), "0/b.png", png(1), "1/c.png", png(2), "1/d.png", png(3)));

        assertRefused(() -> tiny.readZip(zip, null, false, Invert.FALSE, null), HttpStatus.CONTENT_TOO_LARGE, "4 images, more than the 3");
        assertRefused(() -> tiny.readIdx(parts(idxFiles(), false), null, null), HttpStatus.CONTENT_TOO_LARGE, "train-images holds more than 2368 bytes");
    }

    @Test
    void brokenIdxPartsAreNamed() throws IOException {
        Map<String, byte[]> files = idxFiles();
        Map<String, byte[]> truncated = new HashMap<>(files);
        truncated.put("train-images", Arrays.copyOf(files.get("train-images"), files.get("train-images").length - 100));
        assertRefused(() -> reader.readIdx(parts(truncated, true), null, null), HttpStatus.UNPROCESSABLE_CONTENT,
                "train-images: truncated: 470316 bytes, the header implies 470416");

        Map<String, byte[]> mismatched = new HashMap<>(files);
        mismatched.put("test-labels", files.get("train-labels"));
        assertRefused(() -> reader.readIdx(parts(mismatched, false), null, null), HttpStatus.UNPROCESSABLE_CONTENT,
                "test-labels: mismatched counts: 600 labels for the 100 images of test-images");

        assertRefused(() -> reader.readIdx(parts(files, false), List.of("0", "1", "2", "3", "4"), null), HttpStatus.UNPROCESSABLE_CONTENT,
                "train-labels: label out of range: label " + TRAIN.label(0) + " at index 0 is outside 0..4");

        assertRefused(() -> reader.readIdx(parts(files, false), null, 0.2), HttpStatus.UNPROCESSABLE_CONTENT,
                "testSplit 0.2 was given with test data");
    }

    @Test
    void aGzipBombStopsInflatingAtTheBound() throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(ByteBuffer.allocate(16).putInt(0x803).putInt(1_000_000).putInt(28).putInt(28).array());
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 200; i++) {
                gzip.write(zeros);
            }
        }
        Map<String, byte[]> files = idxFiles();
        AtomicLong consumed = new AtomicLong();
        IdxParts bomb = new IdxParts(new IdxParts.Part("train-images", () -> counting(compressed.toByteArray(), consumed)),
                part("train-labels", files, false), null, null);

        assertRefused(() -> reader.readIdx(bomb, null, null), HttpStatus.CONTENT_TOO_LARGE,
                "train-images holds more than 784016 bytes once inflated");
        // 200 MB of zeros compress about 1000 to 1; the bound is reached within the first few kilobytes.
        assertThat(consumed.get()).isLessThan(compressed.size() / 10);
    }

    private static void assertSame(LabeledImages actual, LabeledImages expected) {
        assertThat(actual.rows()).isEqualTo(28);
        assertThat(actual.cols()).isEqualTo(28);
        assertThat(actual.labels()).isEqualTo(expected.labels());
        assertThat(actual.pixels()).isEqualTo(expected.pixels());
    }

    private static void assertRefused(Executable call, HttpStatus status, String... details) {
        ProblemException refusal = catchThrowableOfType(ProblemException.class, call::execute);
        assertThat(refusal).as("refused with %s", status).isNotNull();
        assertThat(refusal.getStatusCode()).isEqualTo(status);
        assertThat(refusal.getMessage()).contains(details);
    }

    private void assertZipRefused(Map<String, byte[]> entries, HttpStatus status, String detail) throws IOException {
        Path zip = zip(entries);
        assertRefused(() -> reader.readZip(zip, null, false, Invert.FALSE, null), status, detail);
    }

    private Map<String, byte[]> idxFiles() throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        for (String set : List.of("train", "test")) {
            Path images = tmp.resolve(set + "-images");
            Path labels = tmp.resolve(set + "-labels");
            write(set.equals("train") ? TRAIN : TEST, images, labels);
            files.put(set + "-images", Files.readAllBytes(images));
            files.put(set + "-labels", Files.readAllBytes(labels));
        }
        return files;
    }

    private static IdxParts parts(Map<String, byte[]> files, boolean gzip) {
        return new IdxParts(part("train-images", files, gzip), part("train-labels", files, gzip),
                part("test-images", files, gzip), part("test-labels", files, gzip));
    }

    private static IdxParts.Part part(String name, Map<String, byte[]> files, boolean gzip) {
        byte[] bytes = gzip ? UploadFixtures.gzip(files.get(name)) : files.get(name);
        return new IdxParts.Part(name, () -> new ByteArrayInputStream(bytes));
    }

    private static InputStream counting(byte[] bytes, AtomicLong consumed) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                consumed.addAndGet(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                consumed.addAndGet(Math.max(0, n));
                return n;
            }
        };
    }

    private static void write(LabeledImages data, Path images, Path labels) {
        try {
            IdxWriter.write(data, images, labels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Entries in a shuffled order, so nothing depends on the order they were zipped in. */
    private Path zip(Map<String, byte[]> entries) throws IOException {
        List<String> names = new ArrayList<>(entries.keySet());
        Collections.shuffle(names, new Random(7));
        Path zip = Files.createTempFile(tmp, "upload", ".zip");
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
            out.putArchiveEntry(new ZipArchiveEntry("0/"));
            out.closeArchiveEntry();
            for (String name : names) {
                out.putArchiveEntry(new ZipArchiveEntry(name));
                out.write(entries.get(name));
                out.closeArchiveEntry();
            }
        }
        return zip;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new IllegalArgumentException("not found");
    }

    private static byte[] png(int index) {
        return Images.png(Images.gray(TRAIN, index));
    }

    private static int[] scaledUp(int[] gray, int factor) {
        int side = 28 * factor;
        int[] out = new int[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                out[y * side + x] = gray[y / factor * 28 + x / factor];
            }
        }
        return out;
    }

    private static int[] counts(LabeledImages images) {
        int[] counts = new int[images.classes()];
        for (byte label : images.labels()) {
            counts[label]++;
        }
        return counts;
    }

    private static ByteBuffer image(LabeledImages images, int index) {
        return ByteBuffer.wrap(Arrays.copyOfRange(images.pixels(), index * 784, (index + 1) * 784));
    }
}
