package dev.cnnensemble.jobs.web;

import dev.cnnensemble.training.Recipe;
import dev.cnnensemble.training.TrainingConfig;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /jobs}: a name, a recipe, and the training configuration's fields beside
 * them. Every field is optional; the recipe's values (the tutorial's baseline by default) fill the
 * gaps. The ranges are {@link TrainingConfig}'s own.
 */
@Schema(name = "JobRequest", example = """
        {"name": "quick-trial", "ensembleSize": 2, "epochs": 1, "trainLimit": 6000, "testLimit": 1000}""")
record JobRequest(
        @Schema(description = "A label for people", example = "baseline-3") @Size(max = 100) @Nullable String name,
        @Schema(description = "The tutorial's recipe whose values fill the fields left out: baseline (one CNN, 15 epochs) "
                + "or best (5 batch-norm CNNs, augmentation, learning-rate decay)", defaultValue = "baseline") @Nullable Recipe recipe,
        @JsonUnwrapped @Valid @Nullable TrainingConfig config) {

    TrainingConfig toConfig() {
        if (recipe != null) {
            return config != null ? config.withDefaults(recipe.config()) : recipe.config();
        }
        return config != null ? config : TrainingConfig.defaults().toBuilder().build();
    }
}
