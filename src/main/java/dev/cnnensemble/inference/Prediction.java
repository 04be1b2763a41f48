package dev.cnnensemble.inference;

import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

import org.jspecify.annotations.Nullable;

/** What {@code POST /predict} answers: the model that answered, and one prediction per image, in order. */
@Schema(name = "PredictionResponse")
public record Prediction(ModelRef model, List<ImagePrediction> predictions) {

    @Schema(name = "ModelRef")
    public record ModelRef(
            @Schema(example = "3f0e4e4c-8a5e-4c43-9d59-0c1f3a4f2b7e") String id,
            @Schema(description = "A hash of the members' checkpoints", example = "9c1d0e7a4b2f") String version,
            @Schema(example = "cnn") String architecture,
            @Schema(description = "The dataset it was trained on, which names its labels", example = "mnist") String dataset,
            @Schema(example = "3") int ensembleSize,
            @Schema(description = "Completed epochs of the served checkpoints", example = "15") int epoch) {
    }

    /**
     * @param memberLogits each member's logits, only with {@code members=true}
     * @param pixels       the preprocessed image, only with {@code pixels=true}
     * @param uncertain    null while the model has no entropy threshold yet
     */
    @Schema(name = "ImagePrediction")
    public record ImagePrediction(
            @Schema(example = "0") int index,
            @Schema(description = "The uploaded file's name, when it had one", example = "seven.png") @Nullable String source,
            @Schema(example = "7") int label,
            @Schema(description = "The label's name in the model's dataset: \"7\" in mnist, \"Sandal\" for label 5 in fashion-mnist",
                    example = "7") String className,
            @Schema(description = "The softmax of the averaged logits", example = "[0.0,0.0,0.0,0.0,0.0,0.0,0.0,1.0,0.0,0.0]") float[] probabilities,
            @Schema(description = "The members' logits, averaged", example = "[-3.1,0.4,2.2,1.7,-5.0,-2.8,-9.3,14.9,-2.2,3.0]") float[] logits,
            @Schema(description = "Each member's logits, with members=true") float @Nullable [][] memberLogits,
            @Schema(description = "The fraction of members whose own arg-max is the label", example = "1.0") double agreement,
            @Schema(description = "The predictive entropy of the averaged softmax, in nats: 0 when certain, ln(classes) when uniform",
                    example = "0.0123") double entropy,
            @Schema(description = "The share of the image's pixels above 0.1 of full ink, after preprocessing", example = "0.19")
            double inkCoverage,
            @Schema(description = "Whether the entropy is above the model's threshold, the configured percentile "
                    + "(cnn.inference.uncertainty-percentile, 99 by default) of its test images' entropies, or the ink coverage is "
                    + "outside the range of the same central share of its test images' coverages; both are chosen when its job ends. "
                    + "The second catches images unlike the model's data (noise, photographs, other datasets) on which the members "
                    + "agree confidently. Null until that model's evaluation exists, for a model trained before uncertainty was measured")
            @Nullable Boolean uncertain,
            @Schema(description = "Whether the image was inverted to white on black first") boolean inverted,
            @Schema(description = "With pixels=true: the image the model saw, after preprocessing, as 28 rows of 28 values in 0..1 "
                    + "(white ink on black)") float @Nullable [][] pixels) {
    }
}
