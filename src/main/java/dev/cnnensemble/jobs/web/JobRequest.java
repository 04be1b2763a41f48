package dev.cnnensemble.jobs.web;

import dev.cnnensemble.model.Architecture;
import dev.cnnensemble.training.TrainingConfig;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /jobs}. Every field is optional; the tutorial's values fill the gaps. */
@Schema(name = "JobRequest", example = """
        {"name": "baseline-3", "architecture": "cnn", "dataset": "mnist", "ensembleSize": 3, "epochs": 15}""")
public record JobRequest(
        @Schema(description = "A label for people", example = "baseline-3") @Size(max = 100) String name,
        @Schema(description = "cnn, cnn-bn or resnet", defaultValue = "cnn", example = "cnn")
        @Pattern(regexp = "cnn|cnn-bn|resnet", message = "must be cnn, cnn-bn or resnet") String architecture,
        @Schema(description = "mnist or fashion-mnist", defaultValue = "mnist", example = "mnist")
        @Pattern(regexp = "mnist|fashion-mnist", message = "must be mnist or fashion-mnist") String dataset,
        @Schema(description = "Members whose logits are averaged", defaultValue = "1", example = "3")
        @Min(1) @Max(TrainingConfig.MAX_ENSEMBLE) Integer ensembleSize,
        @Schema(defaultValue = "15", example = "15") @Min(1) @Max(1000) Integer epochs,
        @Schema(defaultValue = "100", example = "100") @Min(1) @Max(4096) Integer batchSize,
        @Schema(description = "Adam's learning rate", defaultValue = "0.001", example = "0.001")
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Double learningRate,
        @Schema(description = "Exponential decay of the learning rate; omit for a constant rate") @Valid LrDecay lrDecay,
        @Schema(description = "Rotated and shifted copies of each training image; omit for none") @Valid Augmentation augmentation,
        @Schema(description = "Seed of initialisation, shuffling, dropout and augmentation", defaultValue = "42") Long seed,
        @Schema(description = "Train on the first N images only, for quick trials", example = "2000") @Min(1) Integer trainLimit,
        @Schema(description = "Test on the first N images only", example = "1000") @Min(1) Integer testLimit,
        @Schema(description = "Fraction of the training images held out to choose the best checkpoint", defaultValue = "0")
        @DecimalMin("0") @DecimalMax(value = "0.5", inclusive = false) Double validationSplit,
        @Schema(description = "Batch-norm momentum of cnn-bn; 0.9 suits runs of fewer than ~1,000 steps", defaultValue = "0.99")
        @DecimalMin(value = "0", inclusive = false) @DecimalMax(value = "1", inclusive = false) Double batchNormMomentum) {

    /**
     * {@code lr = learningRate * rate ^ (step / steps)}, the exponent floored when staircase.
     */
    public record LrDecay(
            @Schema(defaultValue = "0.5") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Double rate,
            @Schema(description = "Optimiser steps per decay; default five epochs' worth") @Min(1) Integer steps,
            @Schema(defaultValue = "true") Boolean staircase) {
    }

    /** The tutorial's augmentation: rotation within ±maxRotationDegrees, shifts in [-maxShiftPixels, maxShiftPixels - 1]. */
    public record Augmentation(
            @Schema(defaultValue = "4") @Min(0) @Max(20) Integer copies,
            @Schema(defaultValue = "15") @DecimalMin("0") @DecimalMax("180") Double maxRotationDegrees,
            @Schema(defaultValue = "2") @Min(0) @Max(10) Integer maxShiftPixels) {
    }

    TrainingConfig toConfig() {
        return new TrainingConfig(architecture == null ? null : Architecture.fromId(architecture), dataset, ensembleSize, epochs,
                batchSize, learningRate,
                lrDecay == null ? null : new TrainingConfig.LearningRateDecay(lrDecay.rate(), lrDecay.steps(), lrDecay.staircase()),
                augmentation == null ? null : new TrainingConfig.Augmentation(augmentation.copies(), augmentation.maxRotationDegrees(),
                        augmentation.maxShiftPixels()),
                seed, trainLimit, testLimit, validationSplit, null, batchNormMomentum);
    }
}
