package dev.cnnensemble.inference.web;

import static dev.cnnensemble.model.InputShape.PIXELS;
import static dev.cnnensemble.model.InputShape.SIDE;

import dev.cnnensemble.imaging.ImagingExceptions.UndecodableImage;
import dev.cnnensemble.imaging.ImagingExceptions.UnprocessableImage;
import dev.cnnensemble.inference.ImageInput;

import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.Schema;

import java.util.List;
import java.util.Locale;

import tools.jackson.databind.JsonNode;

/**
 * An image of a JSON request, in either of the two shapes people write: 784 numbers row by row, or 28
 * rows of 28 numbers. Anything else is refused in words, not in Jackson's tokens.
 */
final class PixelImages {

    static final String SCHEMA = "PixelImage";

    private static final String EXPECTED = PIXELS + " numbers row by row, or " + SIDE + " rows of " + SIDE + " numbers";

    private PixelImages() {
    }

    /** The two shapes, as the OpenAPI document shows them. */
    static Schema<?> schema() {
        Schema<?> flat = new ArraySchema().items(new NumberSchema()).minItems(PIXELS).maxItems(PIXELS)
                .description(PIXELS + " numbers, row by row");
        Schema<?> row = new ArraySchema().items(new NumberSchema()).minItems(SIDE).maxItems(SIDE);
        Schema<?> rows = new ArraySchema().items(row).minItems(SIDE).maxItems(SIDE).description(SIDE + " rows of " + SIDE + " numbers");
        return new Schema<>().oneOf(List.of(flat, rows))
                .description("One grayscale image, white on black like MNIST; every number in 0..1, or every number in 0..255");
    }

    static ImageInput.Pixels read(JsonNode image, int index) {
        String name = "images[" + index + "]";
        if (!image.isArray()) {
            throw new UndecodableImage(name, "is " + image.getNodeType().toString().toLowerCase(Locale.ROOT) + "; expected " + EXPECTED);
        }
        if (image.isEmpty() || !image.get(0).isArray()) {
            return new ImageInput.Pixels(numbers(image, name));
        }
        if (image.size() != SIDE) {
            throw new UnprocessableImage(name + " has " + count(image.size(), "row") + "; expected " + EXPECTED);
        }
        float[] pixels = new float[PIXELS];
        for (int r = 0; r < SIDE; r++) {
            JsonNode row = image.get(r);
            String rowName = name + "[" + r + "]";
            if (!row.isArray()) {
                throw new UndecodableImage(rowName, "is not a row of numbers; expected " + EXPECTED);
            }
            if (row.size() != SIDE) {
                throw new UnprocessableImage(rowName + " has " + count(row.size(), "number") + "; expected " + EXPECTED);
            }
            System.arraycopy(numbers(row, rowName), 0, pixels, r * SIDE, SIDE);
        }
        return new ImageInput.Pixels(pixels);
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static float[] numbers(JsonNode array, String name) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode value = array.get(i);
            if (!value.isNumber()) {
                throw new UndecodableImage(name, "has " + value + " at position " + i + "; expected " + EXPECTED);
            }
            values[i] = pixel(value);
        }
        return values;
    }

    /**
     * The number as a float, where one beyond float's range (1e39, 1e309, an integer of 400 digits) is an
     * infinity, which the range check refuses: Jackson throws rather than narrow it.
     */
    private static float pixel(JsonNode value) {
        if (value.isFloatingPointNumber() || value.canConvertToLong()) {
            return (float) value.doubleValue();
        }
        return value.bigIntegerValue().signum() < 0 ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
    }
}
