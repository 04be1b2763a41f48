package dev.cnnensemble.inference;

import dev.cnnensemble.training.EnsembleMath;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a model gets right and wrong on its test images: the confusion matrix, precision and recall per
 * class, and the misclassified images with each member's vote. Computed once when the job ends.
 */
@Schema(name = "ModelEvaluation")
public record ModelEvaluation(
        @Schema(example = "3f0e4e4c-8a5e-4c43-9d59-0c1f3a4f2b7e") String modelId,
        @Schema(example = "mnist") String dataset,
        List<String> classNames,
        @Schema(description = "The test images evaluated: the first testLimit of the dataset's test split, or all of them", example = "10000")
        int testImages,
        @Schema(description = "Averaged-logits accuracy on them", example = "0.9953") double accuracy,
        @Schema(example = "3") int members,
        @Schema(description = "Counts by true label (rows) and predicted label (columns); they sum to testImages")
        int[][] confusion,
        List<ClassMetrics> classes,
        @Schema(description = "All misclassified test images", example = "47") int misclassifiedCount,
        @Schema(description = "The first " + ModelEvaluation.MAX_MISCLASSIFIED + " misclassified test images, by test index")
        List<Misclassified> misclassified,
        @Schema(description = "The percentile of the test images' predictive entropies that sets the threshold", example = "99")
        double uncertaintyPercentile,
        @Schema(description = "Predictions whose entropy (nats) is above it are flagged uncertain", example = "0.41")
        double entropyThreshold,
        @Schema(description = "The central uncertaintyPercentile % of the test images' ink coverage (the share of pixels above 0.1 "
                + "of full ink); images outside it are flagged uncertain too. Null for an evaluation stored before it was measured")
        InkCoverage.@Nullable Range inkCoverage,
        Instant computedAt) {

    /** The misclassified images kept, enough for a gallery; the count says how many there are. */
    public static final int MAX_MISCLASSIFIED = 500;

    /**
     * @param precision of the images predicted as this class, the share that are; null when none is
     * @param recall    of the images of this class, the share predicted as it; null when the test set has none
     */
    @Schema(name = "ClassMetrics")
    public record ClassMetrics(int label, String className, @Nullable Double precision, @Nullable Double recall, int support) {
    }

    /**
     * @param index       the image's index in the dataset's test split: GET /datasets/{dataset}/images/test/{index}
     * @param memberVotes each member's arg-max, by member
     * @param confidence  the averaged softmax's probability of the predicted label
     */
    @Schema(name = "Misclassified")
    public record Misclassified(int index, int label, int predicted, int[] memberVotes, double confidence) {
    }

    /**
     * From the labels of the test images, their ink coverages and each member's logits for them
     * ({@code [member][image][class]}). The entropy threshold is the given percentile of their averaged
     * softmax's entropies; the ink coverage range holds the same central share of their coverages, the
     * rest split evenly between its two ends (nearest rank).
     */
    static ModelEvaluation of(ModelDescriptor model, byte[] labels, double[] inkCoverages, float[][][] memberLogits,
                              double uncertaintyPercentile, Instant computedAt) {
        int classes = model.classNames().size();
        float[][] averaged = EnsembleMath.averageLogits(Arrays.asList(memberLogits));
        int[][] confusion = new int[classes][classes];
        List<Misclassified> misclassified = new ArrayList<>();
        int wrong = 0;
        double[] entropies = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            int label = Byte.toUnsignedInt(labels[i]);
            int predicted = EnsembleMath.argMax(averaged[i]);
            entropies[i] = EnsembleMath.entropy(EnsembleMath.softmax(averaged[i]));
            confusion[label][predicted]++;
            if (predicted != label) {
                wrong++;
                if (misclassified.size() < MAX_MISCLASSIFIED) {
                    int[] votes = new int[memberLogits.length];
                    for (int m = 0; m < votes.length; m++) {
                        votes[m] = EnsembleMath.argMax(memberLogits[m][i]);
                    }
                    misclassified.add(new Misclassified(i, label, predicted, votes, EnsembleMath.softmax(averaged[i])[predicted]));
                }
            }
        }
        List<ClassMetrics> metrics = new ArrayList<>(classes);
        for (int c = 0; c < classes; c++) {
            int support = Arrays.stream(confusion[c]).sum();
            int predictedAs = 0;
            for (int[] row : confusion) {
                predictedAs += row[c];
            }
            metrics.add(new ClassMetrics(c, model.classNames().get(c), share(confusion[c][c], predictedAs), share(confusion[c][c], support), support));
        }
        double accuracy = labels.length == 0 ? 0 : (labels.length - wrong) / (double) labels.length;
        return new ModelEvaluation(model.id(), model.dataset(), model.classNames(), labels.length, accuracy, memberLogits.length,
                confusion, metrics, wrong, misclassified, uncertaintyPercentile, percentile(entropies, uncertaintyPercentile),
                inkCoverages.length == 0 ? null : new InkCoverage.Range(percentile(inkCoverages, (100 - uncertaintyPercentile) / 2),
                        percentile(inkCoverages, 100 - (100 - uncertaintyPercentile) / 2)), computedAt);
    }

    /** The nearest-rank percentile: the smallest value with at least {@code percent}% of the values at or below it. */
    static double percentile(double[] values, double percent) {
        if (values.length == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    private static @Nullable Double share(int part, int whole) {
        return whole == 0 ? null : part / (double) whole;
    }
}
