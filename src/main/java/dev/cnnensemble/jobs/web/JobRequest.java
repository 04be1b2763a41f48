package dev.cnnensemble.jobs.web;

import dev.cnnensemble.training.TrainingConfig;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /jobs}: a name, and the training configuration's fields beside it. Every
 * field is optional; the tutorial's values fill the gaps. The ranges are {@link TrainingConfig}'s own.
 */
@Schema(name = "JobRequest", example = """
        {"name": "baseline-3", "architecture": "cnn", "dataset": "mnist", "ensembleSize": 3, "epochs": 15}""")
record JobRequest(
        @Schema(description = "A label for people", example = "baseline-3") @Size(max = 100) @Nullable String name,
        @JsonUnwrapped @Valid @Nullable TrainingConfig config) {

    TrainingConfig toConfig() {
        return config != null ? config : TrainingConfig.defaults().toBuilder().build();
    }
}
