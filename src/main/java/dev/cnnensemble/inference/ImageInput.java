package dev.cnnensemble.inference;

import org.jspecify.annotations.Nullable;

/** One image of a request, as it arrived. */
public sealed interface ImageInput {

    /** An uploaded file: PNG, JPEG, GIF or BMP bytes; no file name when the image was the whole request body. */
    record Encoded(@Nullable String fileName, byte[] bytes) implements ImageInput {
    }

    /** 784 numbers, row by row, either all within 0..1 or within 0..255. */
    record Pixels(float[] values) implements ImageInput {
    }
}
