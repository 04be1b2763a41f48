package dev.cnnensemble.training;

import dev.cnnensemble.model.Architecture;

/**
 * What to train, with the tutorial's values as defaults. Every field may be null in the
 * canonical constructor; {@link #withDefaults()} fills them in.
 *
 * @param lrDecay          exponential decay of the learning rate, or null for a constant rate
 * @param augmentation     rotation and shift copies of each training image, or null for none
 * @param trainLimit       use only the first N training images (quick trials), or null for all
 * @param testLimit        use only the first N test images, or null for all
 * @param validationSplit  fraction of the training images held out for validation (0 for none);
 *                         when set, the best checkpoint is chosen on it instead of the test set
 * @param trainEvalSamples training images on which train accuracy is measured after every epoch
 * @param batchNormMomentum weight the batch-norm running statistics keep per step ({@code cnn-bn});
 *                          Keras' 0.99 needs several hundred steps before inference is reliable
 */
public record TrainingConfig(
        Architecture architecture,
        String dataset,
        Integer ensembleSize,
        Integer epochs,
        Integer batchSize,
        Double learningRate,
        LearningRateDecay lrDecay,
        Augmentation augmentation,
        Long seed,
        Integer trainLimit,
        Integer testLimit,
        Double validationSplit,
        Integer trainEvalSamples,
        Double batchNormMomentum) {

    public static final int MAX_ENSEMBLE = 10;

    /** The tutorial's baseline: one CNN, MNIST, Adam 0.001, batch 100, 15 epochs. */
    public static TrainingConfig defaults() {
        return new TrainingConfig(Architecture.CNN, "mnist", 1, 15, 100, 0.001, null, null, 42L, null, null, 0.0, 10_000, 0.99);
    }

    /** The tutorial's best recipe: batch norm, augmentation, staircase decay, 5 members. */
    public static TrainingConfig bestRecipe() {
        return defaults().toBuilder().architecture(Architecture.CNN_BN).ensembleSize(5)
                .lrDecay(LearningRateDecay.tutorial()).augmentation(Augmentation.tutorial()).build();
    }

    public TrainingConfig withDefaults() {
        TrainingConfig d = defaults();
        return new TrainingConfig(
                architecture != null ? architecture : d.architecture,
                dataset != null ? dataset : d.dataset,
                ensembleSize != null ? ensembleSize : d.ensembleSize,
                epochs != null ? epochs : d.epochs,
                batchSize != null ? batchSize : d.batchSize,
                learningRate != null ? learningRate : d.learningRate,
                lrDecay == null ? null : lrDecay.withDefaults(),
                augmentation == null ? null : augmentation.withDefaults(),
                seed != null ? seed : d.seed,
                trainLimit,
                testLimit,
                validationSplit != null ? validationSplit : d.validationSplit,
                trainEvalSamples != null ? trainEvalSamples : d.trainEvalSamples,
                batchNormMomentum != null ? batchNormMomentum : d.batchNormMomentum).validated();
    }

    private TrainingConfig validated() {
        require(ensembleSize >= 1 && ensembleSize <= MAX_ENSEMBLE, "ensembleSize must be 1.." + MAX_ENSEMBLE);
        require(epochs >= 1 && epochs <= 1000, "epochs must be 1..1000");
        require(batchSize >= 1 && batchSize <= 4096, "batchSize must be 1..4096");
        require(learningRate > 0 && learningRate <= 1, "learningRate must be in (0, 1]");
        require(trainLimit == null || trainLimit >= 1, "trainLimit must be at least 1");
        require(testLimit == null || testLimit >= 1, "testLimit must be at least 1");
        require(validationSplit >= 0 && validationSplit < 0.5, "validationSplit must be in [0, 0.5)");
        require(trainEvalSamples >= 1, "trainEvalSamples must be at least 1");
        require(batchNormMomentum > 0 && batchNormMomentum < 1, "batchNormMomentum must be in (0, 1)");
        return this;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Exponential decay {@code lr = initial * rate ^ (step / steps)}, with the exponent floored when
     * {@code staircase}. {@code steps} counts optimiser steps; null means five epochs' worth, which is
     * what the tutorial's {@code decay_steps} amounts to (see README).
     */
    public record LearningRateDecay(Double rate, Integer steps, Boolean staircase) {

        public static LearningRateDecay tutorial() {
            return new LearningRateDecay(0.5, null, true);
        }

        LearningRateDecay withDefaults() {
            LearningRateDecay d = tutorial();
            LearningRateDecay filled = new LearningRateDecay(rate != null ? rate : d.rate, steps, staircase != null ? staircase : d.staircase);
            require(filled.rate > 0 && filled.rate <= 1, "lrDecay.rate must be in (0, 1]");
            require(filled.steps == null || filled.steps >= 1, "lrDecay.steps must be at least 1");
            return filled;
        }

        /** Decay steps for a run with the given steps per epoch. */
        public int effectiveSteps(int stepsPerEpoch) {
            return steps != null ? steps : 5 * stepsPerEpoch;
        }
    }

    /**
     * The tutorial's augmentation: {@code copies} extra images per original, each rotated by a
     * uniform angle in ±{@code maxRotationDegrees} and shifted by whole pixels in
     * [-{@code maxShiftPixels}, {@code maxShiftPixels} - 1] per axis (numpy's {@code randint(-2, 2)}),
     * with uncovered pixels filled with the image's median.
     */
    public record Augmentation(Integer copies, Double maxRotationDegrees, Integer maxShiftPixels) {

        public static Augmentation tutorial() {
            return new Augmentation(4, 15.0, 2);
        }

        Augmentation withDefaults() {
            Augmentation d = tutorial();
            Augmentation filled = new Augmentation(copies != null ? copies : d.copies,
                    maxRotationDegrees != null ? maxRotationDegrees : d.maxRotationDegrees,
                    maxShiftPixels != null ? maxShiftPixels : d.maxShiftPixels);
            require(filled.copies >= 0 && filled.copies <= 20, "augmentation.copies must be 0..20");
            require(filled.maxRotationDegrees >= 0 && filled.maxRotationDegrees <= 180, "augmentation.maxRotationDegrees must be 0..180");
            require(filled.maxShiftPixels >= 0 && filled.maxShiftPixels <= 10, "augmentation.maxShiftPixels must be 0..10");
            return filled;
        }
    }

    /** Fluent copies, so variants of a recipe read as what they change. */
    public static final class Builder {
        private Architecture architecture;
        private String dataset;
        private Integer ensembleSize;
        private Integer epochs;
        private Integer batchSize;
        private Double learningRate;
        private LearningRateDecay lrDecay;
        private Augmentation augmentation;
        private Long seed;
        private Integer trainLimit;
        private Integer testLimit;
        private Double validationSplit;
        private Integer trainEvalSamples;
        private Double batchNormMomentum;

        private Builder(TrainingConfig c) {
            architecture = c.architecture;
            dataset = c.dataset;
            ensembleSize = c.ensembleSize;
            epochs = c.epochs;
            batchSize = c.batchSize;
            learningRate = c.learningRate;
            lrDecay = c.lrDecay;
            augmentation = c.augmentation;
            seed = c.seed;
            trainLimit = c.trainLimit;
            testLimit = c.testLimit;
            validationSplit = c.validationSplit;
            trainEvalSamples = c.trainEvalSamples;
            batchNormMomentum = c.batchNormMomentum;
        }

        public Builder architecture(Architecture v) { architecture = v; return this; }
        public Builder dataset(String v) { dataset = v; return this; }
        public Builder ensembleSize(Integer v) { ensembleSize = v; return this; }
        public Builder epochs(Integer v) { epochs = v; return this; }
        public Builder batchSize(Integer v) { batchSize = v; return this; }
        public Builder learningRate(Double v) { learningRate = v; return this; }
        public Builder lrDecay(LearningRateDecay v) { lrDecay = v; return this; }
        public Builder augmentation(Augmentation v) { augmentation = v; return this; }
        public Builder seed(Long v) { seed = v; return this; }
        public Builder trainLimit(Integer v) { trainLimit = v; return this; }
        public Builder testLimit(Integer v) { testLimit = v; return this; }
        public Builder validationSplit(Double v) { validationSplit = v; return this; }
        public Builder trainEvalSamples(Integer v) { trainEvalSamples = v; return this; }
        public Builder batchNormMomentum(Double v) { batchNormMomentum = v; return this; }

        public TrainingConfig build() {
            return new TrainingConfig(architecture, dataset, ensembleSize, epochs, batchSize, learningRate, lrDecay,
                    augmentation, seed, trainLimit, testLimit, validationSplit, trainEvalSamples, batchNormMomentum).withDefaults();
        }
    }
}
