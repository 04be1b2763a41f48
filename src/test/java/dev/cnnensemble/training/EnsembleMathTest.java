package dev.cnnensemble.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

class EnsembleMathTest {

    @Test
    void averagesLogitsElementWise() {
        float[][] a = {{1, 2, 3}, {0, 0, 6}};
        float[][] b = {{3, 2, 1}, {6, 0, 0}};
        float[][] c = {{2, 5, 2}, {0, 3, 0}};

        float[][] mean = EnsembleMath.averageLogits(List.of(a, b, c));

        assertThat(mean[0]).containsExactly(2f, 3f, 2f);
        assertThat(mean[1]).containsExactly(2f, 1f, 2f);
    }

    @Test
    void averagingLogitsIsNotMajorityVoting() {
        // Two members mildly prefer class 0, one strongly prefers class 1: the mean picks class 1.
        float[][] mild1 = {{1.0f, 0.8f}};
        float[][] mild2 = {{1.0f, 0.8f}};
        float[][] strong = {{0.0f, 5.0f}};

        assertThat(EnsembleMath.argMax(EnsembleMath.averageLogits(List.of(mild1, mild2, strong))[0])).isEqualTo(1);
    }

    @Test
    void oneMemberIsItsOwnAverage() {
        float[][] only = {{0.5f, -1f}};

        assertThat(EnsembleMath.averageLogits(List.<float[][]>of(only))[0]).containsExactly(0.5f, -1f);
    }

    @Test
    void rejectsMismatchedMembersAndEmptyEnsembles() {
        assertThatThrownBy(() -> EnsembleMath.averageLogits(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EnsembleMath.averageLogits(List.of(new float[][]{{1, 2}}, new float[][]{{1, 2, 3}})))
                .hasMessageContaining("shape");
    }

    @Test
    void softmaxIsStableAndSumsToOne() {
        float[] p = EnsembleMath.softmax(new float[]{1000f, 1001f, 999f});

        assertThat(p[0] + p[1] + p[2]).isCloseTo(1f, within(1e-6f));
        assertThat(p[1]).isCloseTo(0.6652409f, within(1e-6f));
        assertThat(EnsembleMath.argMax(p)).isEqualTo(1);
    }

    @Test
    void accuracyCountsArgMaxMatches() {
        float[][] logits = {{0, 1}, {1, 0}, {0, 1}, {1, 0}};

        assertThat(EnsembleMath.accuracy(logits, new byte[]{1, 0, 0, 0}, 0)).isEqualTo(0.75);
        assertThat(EnsembleMath.accuracy(logits, new byte[]{9, 1, 0, 0, 0}, 1)).isEqualTo(0.75);
    }

    @Test
    void entropyIsZeroWhenCertainAndLnOfTheClassesWhenUniform() {
        assertThat(EnsembleMath.entropy(new float[]{0, 1, 0, 0})).isZero();
        assertThat(EnsembleMath.entropy(new float[]{0.25f, 0.25f, 0.25f, 0.25f})).isCloseTo(Math.log(4), within(1e-6));
        assertThat(EnsembleMath.entropy(new float[]{0.5f, 0.5f})).isCloseTo(Math.log(2), within(1e-6));
    }

    @Test
    void agreementIsTheShareOfMembersWhoseOwnArgMaxIsTheLabel() {
        float[][][] members = {{{3, 1}, {0, 2}}, {{2, 1}, {5, 1}}, {{0, 4}, {0, 1}}};

        assertThat(EnsembleMath.agreement(members, 0, 0)).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(EnsembleMath.agreement(members, 1, 1)).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(EnsembleMath.agreement(members, 1, 0)).isCloseTo(1 / 3.0, within(1e-12));
    }
}
