package dev.cnnensemble.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnensemble.model.Architecture;
import dev.cnnensemble.training.EnsembleMath;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The evaluation's arithmetic, on logits written by hand: two members, three classes, five images. */
class ModelEvaluationTest {

    private static final ModelDescriptor MODEL = new ModelDescriptor("m", Architecture.CNN, 2, "toy", List.of("a", "b", "c"));

    @Test
    void confusionPrecisionRecallAndTheMisclassifiedWithTheirVotes() {
        byte[] labels = {0, 0, 1, 1, 2};
        float[][] first = {{5, 0, 0}, {0, 4, 0}, {0, 6, 0}, {0, 0, 3}, {0, 2, 0}};
        float[][] second = {{5, 0, 0}, {3, 0, 0}, {0, 6, 0}, {0, 0, 3}, {0, 0, 1}};

        double[] inkCoverages = {0.3, 0.1, 0.5, 0.2, 0.4};

        ModelEvaluation evaluation = ModelEvaluation.of(MODEL, labels, inkCoverages, new float[][][]{first, second}, 60, Instant.EPOCH);

        // Averaged: image 1 is {1.5, 2, 0} -> b (true a); image 3 {0, 0, 3} -> c (true b); image 4 {0, 1, 0.5} -> b (true c).
        assertThat(evaluation.confusion()).isEqualTo(new int[][]{{1, 1, 0}, {0, 1, 1}, {0, 1, 0}});
        assertThat(evaluation.accuracy()).isEqualTo(0.4);
        assertThat(evaluation.testImages()).isEqualTo(5);
        assertThat(evaluation.members()).isEqualTo(2);
        assertThat(evaluation.classes()).extracting(ModelEvaluation.ClassMetrics::precision).containsExactly(1.0, 1 / 3.0, 0.0);
        assertThat(evaluation.classes()).extracting(ModelEvaluation.ClassMetrics::recall).containsExactly(0.5, 0.5, 0.0);
        assertThat(evaluation.classes()).extracting(ModelEvaluation.ClassMetrics::support).containsExactly(2, 2, 1);
        assertThat(evaluation.misclassifiedCount()).isEqualTo(3);
        assertThat(evaluation.misclassified()).extracting(ModelEvaluation.Misclassified::index).containsExactly(1, 3, 4);
        ModelEvaluation.Misclassified firstMiss = evaluation.misclassified().get(0);
        assertThat(firstMiss.label()).isZero();
        assertThat(firstMiss.predicted()).isEqualTo(1);
        assertThat(firstMiss.memberVotes()).containsExactly(1, 0);
        assertThat(firstMiss.confidence()).isBetween(0.5, 0.7);
        double[] entropies = new double[5];
        for (int i = 0; i < 5; i++) {
            entropies[i] = EnsembleMath.entropy(EnsembleMath.softmax(EnsembleMath.averageLogits(List.of(first, second))[i]));
        }
        Arrays.sort(entropies);
        assertThat(evaluation.entropyThreshold()).as("the 60th percentile of 5: the 3rd smallest").isEqualTo(entropies[2]);
        assertThat(evaluation.uncertaintyPercentile()).isEqualTo(60);
        assertThat(evaluation.inkCoverage()).as("the central 60 percent: from the 20th percentile to the 80th")
                .isEqualTo(new InkCoverage.Range(0.1, 0.4));
    }

    @Test
    void thePercentileIsTheNearestRank() {
        double[] values = {5, 1, 3, 2, 4};

        assertThat(ModelEvaluation.percentile(values, 100)).isEqualTo(5);
        assertThat(ModelEvaluation.percentile(values, 99)).isEqualTo(5);
        assertThat(ModelEvaluation.percentile(values, 60)).isEqualTo(3);
        assertThat(ModelEvaluation.percentile(values, 1)).isEqualTo(1);
        assertThat(ModelEvaluation.percentile(new double[0], 99)).as("no test images, nothing flagged").isInfinite();
    }

    @Test
    void aClassNeverPredictedHasNoPrecisionAndOneAbsentFromTheTestSetNoRecall() {
        byte[] labels = {0, 0};
        float[][] logits = {{1, 0, 0}, {1, 0, 0}};

        ModelEvaluation evaluation = ModelEvaluation.of(MODEL, labels, new double[]{0.2, 0.2}, new float[][][]{logits}, 99, Instant.EPOCH);

        assertThat(evaluation.classes().get(1).precision()).isNull();
        assertThat(evaluation.classes().get(1).recall()).isNull();
        assertThat(evaluation.classes().get(0).precision()).isEqualTo(1.0);
        assertThat(evaluation.misclassified()).isEmpty();
    }
}
