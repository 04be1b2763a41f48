package dev.cnnensemble.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresMnist
class IdxReaderTest {

    private static final Path TRAIN_IMAGES = RealData.mnistFile("train-images-idx3-ubyte");
    private static final Path TRAIN_LABELS = RealData.mnistFile("train-labels-idx1-ubyte");
    private static final Path TEST_IMAGES = RealData.mnistFile("t10k-images-idx3-ubyte");
    private static final Path TEST_LABELS = RealData.mnistFile("t10k-labels-idx1-ubyte");

    @TempDir
    Path tmp;

    @Test
    void readsTheRealMnistFiles() {
        LabeledImages train = IdxReader.read(TRAIN_IMAGES, TRAIN_LABELS, 10);
        LabeledImages test = IdxReader.read(TEST_IMAGES, TEST_LABELS, 10);

        assertThat(train.size()).isEqualTo(60_000);
        assertThat(test.size()).isEqualTo(10_000);
        assertThat(train.rows()).isEqualTo(28);
        assertThat(train.cols()).isEqualTo(28);
        // Well-known facts of the files: the first training labels are 5, 0, 4, 1, 9 and the first test label is 7.
        assertThat(Arrays.copyOf(train.labels(), 5)).containsExactly(5, 0, 4, 1, 9);
        assertThat(test.label(0)).isEqualTo(7);
        int[] counts = new int[10];
        for (byte label : train.labels()) {
            counts[label]++;
        }
        assertThat(counts).containsExactly(5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949);
    }

    @Test
    void oneImageIsReadInPlaceAndAnIndexPastTheEndIsRefused() {
        LabeledImages test = IdxReader.read(TEST_IMAGES, TEST_LABELS, 10);

        assertThat(IdxReader.readImage(TEST_IMAGES, 9_999, 784)).isEqualTo(Arrays.copyOfRange(test.pixels(), 9_999 * 784, 10_000 * 784));
        assertThatThrownBy(() -> IdxReader.readImage(TEST_IMAGES, 10_000, 784))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("t10k-images-idx3-ubyte: truncated: ends before image 10000");
    }

    @Test
    void truncatedImageFileIsRejectedWithItsName() throws IOException {
        Path truncated = copy(TEST_IMAGES, "truncated-images", b -> Arrays.copyOf(b, b.length - 100));

        assertThatThrownBy(() -> IdxReader.read(truncated, TEST_LABELS, 10))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("truncated-images")
                .hasMessageContaining("truncated: 7839916 bytes, the header implies 7840016");
    }

    @Test
    void fileShorterThanItsHeaderIsRejected() throws IOException {
        Path stub = copy(TEST_LABELS, "stub-labels", b -> Arrays.copyOf(b, 5));

        assertThatThrownBy(() -> IdxReader.readLabels(stub, 10))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("stub-labels")
                .hasMessageContaining("shorter than the 8-byte header");
    }

    @Test
    void wrongMagicNumberIsRejected() throws IOException {
        // Labels where images are expected: a classic mix-up.
        assertThatThrownBy(() -> IdxReader.read(TEST_LABELS, TEST_LABELS, 10))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("t10k-labels-idx1-ubyte")
                .hasMessageContaining("bad magic number 0x00000801, expected 0x00000803");
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        Path padded = copy(TEST_LABELS, "padded-labels", b -> Arrays.copyOf(b, b.length + 3));

        assertThatThrownBy(() -> IdxReader.readLabels(padded, 10)).hasMessageContaining("has trailing bytes");
    }

    @Test
    void labelOutsideTheClassRangeIsRejected() throws IOException {
        Path corrupt = copy(TEST_LABELS, "corrupt-labels", b -> {
            b[8 + 1234] = 10;
            return b;
        });

        assertThatThrownBy(() -> IdxReader.readLabels(corrupt, 10))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("label out of range: label 10 at index 1234 is outside 0..9");
    }

    @Test
    void implausibleDimensionsAreRejected() throws IOException {
        Path corrupt = copy(TEST_IMAGES, "huge-images", b -> {
            ByteBuffer.wrap(b).putInt(8, 1_000_000);
            return b;
        });

        assertThatThrownBy(() -> IdxReader.readImages(corrupt)).hasMessageContaining("implausible dimensions 10000x1000000x28");
    }

    @Test
    void imageAndLabelCountsMustAgree() {
        assertThatThrownBy(() -> IdxReader.read(TEST_IMAGES, TRAIN_LABELS, 10))
                .hasMessageContaining("mismatched counts: 60000 labels for the 10000 images of " + TEST_IMAGES);
    }

    private Path copy(Path source, String name, java.util.function.UnaryOperator<byte[]> change) throws IOException {
        Path target = tmp.resolve(name);
        Files.write(target, change.apply(Files.readAllBytes(source)));
        return target;
    }
}
