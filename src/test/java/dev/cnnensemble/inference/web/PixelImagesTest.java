package dev.cnnensemble.inference.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnensemble.imaging.ImagingExceptions.UndecodableImage;
import dev.cnnensemble.imaging.ImagingExceptions.UnprocessableImage;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PixelImagesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void twentyEightRowsOfTwentyEightAreFlattenedRowByRow() {
        String rows = IntStream.range(0, 28).mapToObj(r -> IntStream.range(0, 28).mapToObj(c -> String.valueOf(r * 28 + c))
                .collect(Collectors.joining(",", "[", "]"))).collect(Collectors.joining(",", "[", "]"));

        float[] pixels = PixelImages.read(json(rows), 0).values();

        assertThat(pixels).hasSize(784);
        assertThat(pixels[0]).isZero();
        assertThat(pixels[29]).as("row 1, column 1").isEqualTo(29f);
        assertThat(pixels[783]).isEqualTo(783f);
    }

    @Test
    void flatNumbersPassAsTheyAreAndThePredictorChecksTheirCount() {
        assertThat(PixelImages.read(json("[0, 0.5, 1]"), 0).values()).containsExactly(0f, 0.5f, 1f);
    }

    /** Beyond float's range Jackson would throw (a 500); an infinity is what the predictor's range check refuses. */
    @Test
    void numbersBeyondFloatsRangeBecomeInfinities() {
        assertThat(PixelImages.read(json("[1e39, 1e309, -1e309, " + "9".repeat(400) + ", -" + "9".repeat(400) + ", 1e-50]"), 0).values())
                .containsExactly(Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f);
    }

    @Test
    void otherShapesAreExplainedInWords() {
        assertThatThrownBy(() -> PixelImages.read(json("[[0, 1], [2, 3]]"), 2)).isInstanceOf(UnprocessableImage.class)
                .hasMessage("images[2] has 2 rows; expected 784 numbers row by row, or 28 rows of 28 numbers");
        String shortFourthRow = IntStream.range(0, 28).mapToObj(r -> r == 3 ? "[0, 1]" : "[" + "0,".repeat(27) + "0]")
                .collect(Collectors.joining(",", "[", "]"));
        assertThatThrownBy(() -> PixelImages.read(json(shortFourthRow), 0)).isInstanceOf(UnprocessableImage.class)
                .hasMessage("images[0][3] has 2 numbers; expected 784 numbers row by row, or 28 rows of 28 numbers");
        assertThatThrownBy(() -> PixelImages.read(json("[0, \"1\", 2]"), 0)).isInstanceOf(UndecodableImage.class)
                .hasMessageContaining("has \"1\" at position 1");
        assertThatThrownBy(() -> PixelImages.read(json("{\"pixels\": [0]}"), 0)).isInstanceOf(UndecodableImage.class)
                .hasMessageContaining("is object; expected 784 numbers");
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
