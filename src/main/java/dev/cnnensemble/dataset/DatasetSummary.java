package dev.cnnensemble.dataset;

import java.util.Arrays;
import java.util.List;

/**
 * What a dataset holds, read from its label files: images by split and by class, and its size.
 *
 * @param bytes   its four files on the volume, uncompressed
 * @param samples the first training image of each class, by class: what GET /datasets shows of it
 */
public record DatasetSummary(Split train, Split test, long bytes, List<Integer> samples) {

    /** @param perClass images of each class, by label */
    public record Split(int images, List<Integer> perClass) {

        static Split of(byte[] labels, int classes) {
            int[] counts = new int[classes];
            for (byte label : labels) {
                counts[Byte.toUnsignedInt(label)]++;
            }
            return new Split(labels.length, Arrays.stream(counts).boxed().toList());
        }
    }

    static DatasetSummary of(byte[] trainLabels, byte[] testLabels, int classes, long bytes) {
        int[] first = new int[classes];
        Arrays.fill(first, -1);
        for (int i = trainLabels.length - 1; i >= 0; i--) {
            first[Byte.toUnsignedInt(trainLabels[i])] = i;
        }
        List<Integer> samples = Arrays.stream(first).filter(i -> i >= 0).boxed().toList();
        return new DatasetSummary(Split.of(trainLabels, classes), Split.of(testLabels, classes), bytes, samples);
    }
}
