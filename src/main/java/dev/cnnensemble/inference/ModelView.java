package dev.cnnensemble.inference;

import dev.cnnensemble.model.Architecture;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A trained ensemble (a SUCCEEDED job) as {@code /models} shows it.
 *
 * @param testAccuracy the ensemble's test accuracy after its last epoch: the weights that are served
 */
@Schema(name = "Model")
public record ModelView(
        @Schema(description = "The id of the job that trained it", example = "3f0e4e4c-8a5e-4c43-9d59-0c1f3a4f2b7e") String id,
        @Schema(example = "baseline") @Nullable String name,
        Architecture architecture,
        @Schema(description = "The dataset it was trained on", example = "fashion-mnist") String dataset,
        @Schema(description = "The dataset's name for each label, by label, as GET /datasets lists them", example = """
                ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]""")
        List<String> classNames,
        @Schema(example = "3") int ensembleSize,
        @Schema(example = "15") int epochs,
        @Schema(description = "Averaged-logits accuracy on the test set after the last epoch", example = "0.9949") @Nullable Double testAccuracy,
        @Schema(description = "Each member's test accuracy after the last epoch") List<Double> memberTestAccuracies,
        @Nullable Instant trainedAt,
        @JsonProperty("default") @Schema(description = "Whether /predict uses it when a request names no model") boolean isDefault,
        @Schema(description = "Whether it is in memory now; otherwise the first request loads it") boolean loaded,
        @Schema(description = "The loaded weights' version (a hash of the checkpoints); null until loaded", example = "9c1d0e7a4b2f") @Nullable String version) {
}
