package dev.cnnensemble.model;

/**
 * The one input every network takes: a 28x28 grayscale image, flattened row by row. Training,
 * preprocessing and serving all size their arrays from here.
 */
public final class InputShape {

    public static final int SIDE = 28;
    public static final int PIXELS = SIDE * SIDE;

    private InputShape() {
    }
}
