package dev.cnnensemble.training;

import java.util.List;

/**
 * The ensemble rule of the tutorial: average the members' logits, then take the arg-max. Plain
 * arrays, so prediction and evaluation share it and it can be tested without a network.
 */
public final class EnsembleMath {

    private EnsembleMath() {
    }

    /** Element-wise mean of {@code [member][image][class]} logits, giving {@code [image][class]}. */
    public static float[][] averageLogits(List<float[][]> memberLogits) {
        if (memberLogits.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one member");
        }
        int images = memberLogits.get(0).length;
        int classes = images == 0 ? 0 : memberLogits.get(0)[0].length;
        float[][] mean = new float[images][classes];
        for (float[][] logits : memberLogits) {
            if (logits.length != images || (images > 0 && logits[0].length != classes)) {
                throw new IllegalArgumentException("members disagree on the logits' shape");
            }
            for (int i = 0; i < images; i++) {
                for (int c = 0; c < classes; c++) {
                    mean[i][c] += logits[i][c];
                }
            }
        }
        float members = memberLogits.size();
        for (float[] row : mean) {
            for (int c = 0; c < row.length; c++) {
                row[c] /= members;
            }
        }
        return mean;
    }

    public static int argMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Numerically stable softmax. */
    public static float[] softmax(float[] logits) {
        float max = logits[argMax(logits)];
        double sum = 0;
        double[] exp = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            exp[i] = Math.exp(logits[i] - max);
            sum += exp[i];
        }
        float[] probabilities = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            probabilities[i] = (float) (exp[i] / sum);
        }
        return probabilities;
    }

    /** Shannon entropy in nats: 0 for a certain prediction, ln(classes) for a uniform one. */
    public static double entropy(float[] probabilities) {
        double entropy = 0;
        for (float p : probabilities) {
            if (p > 0) {
                entropy -= p * Math.log(p);
            }
        }
        return entropy;
    }

    /** The fraction of members whose own arg-max for image {@code image} is {@code label}; logits are {@code [member][image][class]}. */
    public static double agreement(float[][][] memberLogits, int image, int label) {
        int agreeing = 0;
        for (float[][] member : memberLogits) {
            if (argMax(member[image]) == label) {
                agreeing++;
            }
        }
        return agreeing / (double) memberLogits.length;
    }

    /** Fraction of rows whose arg-max equals the label. */
    public static double accuracy(float[][] logits, byte[] labels, int from) {
        if (logits.length == 0) {
            return Double.NaN;
        }
        int correct = 0;
        for (int i = 0; i < logits.length; i++) {
            if (argMax(logits[i]) == labels[from + i]) {
                correct++;
            }
        }
        return (double) correct / logits.length;
    }
}
