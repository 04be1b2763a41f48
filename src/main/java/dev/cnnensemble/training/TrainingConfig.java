package dev.cnnensemble.training;

import dev.cnnensemble.model.Architecture;

import com.fasterxml.jackson.annotation.JsonFormat;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What to train, with the tutorial's values as defaults. Every field may be null in the
 * canonical constructor; {@link #withDefaults()} fills them in and checks every range. The ranges
 * are this record's constraints, and only here: {@code POST /jobs} validates its body with them,
 * and Swagger shows them.
 *
 * @param lrDecay          exponential decay of the learning rate, or null for a constant rate
 * @param augmentation     rotation and shift copies of each training image, or null for none
 * @param trainLimit       use only the first N training images (quick trials), or null for all
 * @param testLimit        use only the first N test images, or null for all
 * @param validationSplit  fraction of the training images held out for validation (0 for none);
 *                         when set, the best checkpoint is chosen on it instead of the test set
 * @param trainEvalSamples training images on which train accuracy is measured after every epoch
 * @param batchNormMomentum weight the batch-norm running statistics keep per step ({@code cnn-bn}); precise
 *                          batch norm replaces them before every evaluation and checkpoint
 */
public record TrainingConfig(
        @Schema(description = "The network family", defaultValue = "cnn", example = "cnn") @Nullable Architecture architecture,
        @Schema(description = "A dataset's name, as GET /datasets lists them", defaultValue = "mnist", example = "mnist")
        @Size(min = 1, max = 100) @Nullable String dataset,
        @Schema(description = "Members whose logits are averaged", defaultValue = "1", example = "3")
        @Min(1) @Max(MAX_ENSEMBLE) @Nullable Integer ensembleSize,
        @Schema(defaultValue = "15", example = "15") @Min(1) @Max(1000) @Nullable Integer epochs,
        @Schema(defaultValue = "100", example = "100") @Min(1) @Max(4096) @Nullable Integer batchSize,
        @Schema(description = "Adam's learning rate", defaultValue = "0.001", example = "0.001")
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") @Nullable Double learningRate,
        @Schema(description = "Exponential decay of the learning rate; omit for a constant rate") @Valid @Nullable LearningRateDecay lrDecay,
        @Schema(description = "Rotated and shifted copies of each training image; omit for none") @Valid @Nullable Augmentation augmentation,
        @Schema(description = "Seed of initialisation, shuffling, dropout and augmentation: a 64-bit integer, written as a string "
                + "so that JavaScript and jq keep every digit; a JSON number is accepted too",
                type = "string", format = "int64", pattern = SEED_PATTERN, defaultValue = "42", example = "9007199254740993")
        @JsonFormat(shape = JsonFormat.Shape.STRING) @Nullable Long seed,
        @Schema(description = "Train on the first N images only, for quick trials", example = "2000") @Min(1) @Nullable Integer trainLimit,
        @Schema(description = "Test on the first N images only", example = "1000") @Min(1) @Nullable Integer testLimit,
        @Schema(description = "Fraction of the training images held out to choose the best checkpoint", defaultValue = "0")
        @DecimalMin("0") @DecimalMax(value = "0.5", inclusive = false) @Nullable Double validationSplit,
        @Schema(description = "Training images on which train accuracy is measured after each epoch", defaultValue = "10000")
        @Min(1) @Nullable Integer trainEvalSamples,
        @Schema(description = "Batch-norm momentum of cnn-bn during training. What is evaluated and served does not depend on it: "
                + "precise batch norm sets the exact statistics before every evaluation and checkpoint", defaultValue = "0.99")
        @DecimalMin(value = "0", inclusive = false) @DecimalMax(value = "1", inclusive = false) @Nullable Double batchNormMomentum) {

    public static final int MAX_ENSEMBLE = 10;
    /** A seed as a string, which is how the API writes seeds: above 2^53 they do not survive a double (JavaScript, jq). */
    public static final String SEED_PATTERN = "^-?[0-9]{1,19}$";

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
        return withDefaults(defaults());
    }

    /** This configuration, its missing fields taken from {@code base} (a recipe), checked. */
    public TrainingConfig withDefaults(TrainingConfig base) {
        return new TrainingConfig(
                architecture != null ? architecture : base.architecture,
                dataset != null ? dataset : base.dataset,
                ensembleSize != null ? ensembleSize : base.ensembleSize,
                epochs != null ? epochs : base.epochs,
                batchSize != null ? batchSize : base.batchSize,
                learningRate != null ? learningRate : base.learningRate,
                lrDecay != null ? lrDecay.withDefaults() : base.lrDecay,
                augmentation != null ? augmentation.withDefaults() : base.augmentation,
                seed != null ? seed : base.seed,
                trainLimit != null ? trainLimit : base.trainLimit,
                testLimit != null ? testLimit : base.testLimit,
                validationSplit != null ? validationSplit : base.validationSplit,
                trainEvalSamples != null ? trainEvalSamples : base.trainEvalSamples,
                batchNormMomentum != null ? batchNormMomentum : base.batchNormMomentum).validated();
    }

    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    private TrainingConfig validated() {
        Set<ConstraintViolation<TrainingConfig>> violations = VALIDATOR.validate(this);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return this;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Exponential decay {@code lr = initial * rate ^ (step / steps)}, with the exponent floored when
     * {@code staircase}. {@code steps} counts optimiser steps; null means five epochs' worth, which is
     * what the tutorial's {@code decay_steps} amounts to (see README).
     */
    public record LearningRateDecay(
            @Schema(defaultValue = "0.5") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") @Nullable Double rate,
            @Schema(description = "Optimiser steps per decay; default five epochs' worth") @Min(1) @Nullable Integer steps,
            @Schema(defaultValue = "true") @Nullable Boolean staircase) {

        public static LearningRateDecay tutorial() {
            return new LearningRateDecay(0.5, null, true);
        }

        LearningRateDecay withDefaults() {
            LearningRateDecay d = tutorial();
            return new LearningRateDecay(rate != null ? rate : d.rate, steps, staircase != null ? staircase : d.staircase);
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
    public record Augmentation(
            @Schema(defaultValue = "4") @Min(0) @Max(20) @Nullable Integer copies,
            @Schema(defaultValue = "15") @DecimalMin("0") @DecimalMax("180") @Nullable Double maxRotationDegrees,
            @Schema(defaultValue = "2") @Min(0) @Max(10) @Nullable Integer maxShiftPixels) {

        public static Augmentation tutorial() {
            return new Augmentation(4, 15.0, 2);
        }

        Augmentation withDefaults() {
            Augmentation d = tutorial();
            return new Augmentation(copies != null ? copies : d.copies, maxRotationDegrees != null ? maxRotationDegrees : d.maxRotationDegrees,
                    maxShiftPixels != null ? maxShiftPixels : d.maxShiftPixels);
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
