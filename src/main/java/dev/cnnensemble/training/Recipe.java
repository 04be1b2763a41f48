package dev.cnnensemble.training;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The tutorial's named recipes: one word in a request, its values filling every field left out. */
public enum Recipe {

    /** One CNN, Adam 0.001, batch 100, 15 epochs: the tutorial's first model (99.31%). */
    @JsonProperty("baseline") BASELINE,
    /** Five batch-norm CNNs with augmentation and staircase decay: the tutorial's best (99.67%). */
    @JsonProperty("best") BEST;

    public TrainingConfig config() {
        return this == BEST ? TrainingConfig.bestRecipe() : TrainingConfig.defaults();
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Recipe fromId(String id) {
        return Arrays.stream(values()).filter(r -> r.id().equals(id)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "unknown recipe '" + id + "'; expected one of " + Arrays.stream(values()).map(Recipe::id).collect(Collectors.joining(", "))));
    }
}
