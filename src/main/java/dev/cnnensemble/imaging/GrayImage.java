package dev.cnnensemble.imaging;

/**
 * A decoded image as luminance, row by row: 0 is black, 1 is white.
 */
public record GrayImage(int width, int height, float[] pixels) {

    public GrayImage {
        if (pixels.length != width * height) {
            throw new IllegalArgumentException("expected " + width * height + " pixels, got " + pixels.length);
        }
    }

    public float at(int x, int y) {
        return pixels[y * width + x];
    }
}
