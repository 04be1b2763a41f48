package dev.cnnensemble.imaging;

import static dev.cnnensemble.model.InputShape.SIDE;

import dev.cnnensemble.imaging.ImagingExceptions.UnprocessableImage;

/**
 * Turns a decoded image into what the networks were trained on: 28x28, white ink on black, 0..1.
 */
public final class Preprocessing {

    /** MNIST's digits were scaled to fit this box, then centred by mass in the 28x28 field. */
    static final int BOX = 20;

    private Preprocessing() {
    }

    /** Polarity: MNIST is white on black; paper is the other way round. */
    public enum Invert {
        /** Invert when the image's border is light, i.e. the background is paper. */
        AUTO,
        TRUE,
        FALSE
    }

    /** The network's input, and whether it was inverted to get it. */
    public record Prepared(float[] pixels, boolean inverted) {
    }

    /**
     * @param mnist whether to crop to the ink, scale it into 20x20 keeping the aspect ratio and centre
     *              it by its centre of mass on 28x28; without it the image must already be 28x28
     */
    public static Prepared prepare(GrayImage image, Invert invert, boolean mnist, String part) {
        boolean inverted = switch (invert) {
            case TRUE -> true;
            case FALSE -> false;
            case AUTO -> borderMean(image) > 0.5f;
        };
        float[] ink = image.pixels().clone();
        if (inverted) {
            for (int i = 0; i < ink.length; i++) {
                ink[i] = 1f - ink[i];
            }
        }
        GrayImage oriented = new GrayImage(image.width(), image.height(), ink);
        if (mnist) {
            return new Prepared(mnistStyle(oriented, part), inverted);
        }
        if (image.width() != SIDE || image.height() != SIDE) {
            throw new UnprocessableImage(part + " is " + image.width() + "x" + image.height() + "; images must be " + SIDE + "x" + SIDE
                    + ", or send preprocess=mnist to crop, scale and centre an image of any size");
        }
        return new Prepared(ink, inverted);
    }

    static float borderMean(GrayImage image) {
        int w = image.width();
        int h = image.height();
        double sum = 0;
        int count = 0;
        for (int x = 0; x < w; x++) {
            sum += image.at(x, 0);
            count++;
            if (h > 1) {
                sum += image.at(x, h - 1);
                count++;
            }
        }
        for (int y = 1; y < h - 1; y++) {
            sum += image.at(0, y);
            count++;
            if (w > 1) {
                sum += image.at(w - 1, y);
                count++;
            }
        }
        return (float) (sum / count);
    }

    /** MNIST's own recipe: bounding box of the ink, 20x20 box, centre of mass at the centre. */
    static float[] mnistStyle(GrayImage image, String part) {
        float max = 0;
        for (float p : image.pixels()) {
            max = Math.max(max, p);
        }
        if (max <= 0.05f) {
            throw new UnprocessableImage(part + " has no ink to recognise: it is blank after the polarity step");
        }
        // Ink is what is at least half as bright as the brightest stroke; the box keeps its faint edges too.
        float threshold = max / 2;
        int left = image.width(), right = -1, top = image.height(), bottom = -1;
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                if (image.at(x, y) >= threshold) {
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                }
            }
        }
        int cropWidth = right - left + 1;
        int cropHeight = bottom - top + 1;
        float[] crop = new float[cropWidth * cropHeight];
        for (int y = 0; y < cropHeight; y++) {
            System.arraycopy(image.pixels(), (top + y) * image.width() + left, crop, y * cropWidth, cropWidth);
        }
        double scale = (double) BOX / Math.max(cropWidth, cropHeight);
        int width = Math.max(1, (int) Math.round(cropWidth * scale));
        int height = Math.max(1, (int) Math.round(cropHeight * scale));
        float[] box = resample(crop, cropWidth, cropHeight, width, height);

        double mass = 0, massX = 0, massY = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float p = box[y * width + x];
                mass += p;
                massX += p * x;
                massY += p * y;
            }
        }
        int offsetX = (int) Math.round(SIDE / 2.0 - massX / mass);
        int offsetY = (int) Math.round(SIDE / 2.0 - massY / mass);
        float[] out = new float[SIDE * SIDE];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int tx = x + offsetX;
                int ty = y + offsetY;
                if (tx >= 0 && tx < SIDE && ty >= 0 && ty < SIDE) {
                    out[ty * SIDE + tx] = box[y * width + x];
                }
            }
        }
        return out;
    }

    /**
     * Area-weighted resampling: each target pixel is the mean of the source area it covers, so a
     * large photo shrinks without aliasing and a small crop grows without holes.
     */
    static float[] resample(float[] source, int sourceWidth, int sourceHeight, int width, int height) {
        float[] rows = new float[width * sourceHeight];
        for (int y = 0; y < sourceHeight; y++) {
            resampleLine(source, y * sourceWidth, 1, sourceWidth, rows, y * width, 1, width);
        }
        float[] out = new float[width * height];
        for (int x = 0; x < width; x++) {
            resampleLine(rows, x, width, sourceHeight, out, x, width, height);
        }
        return out;
    }

    private static void resampleLine(float[] source, int sourceOffset, int sourceStride, int sourceLength,
                                     float[] target, int targetOffset, int targetStride, int targetLength) {
        double span = (double) sourceLength / targetLength;
        for (int t = 0; t < targetLength; t++) {
            double from = t * span;
            double to = from + span;
            double sum = 0;
            for (int s = (int) Math.floor(from); s < Math.min(sourceLength, (int) Math.ceil(to)); s++) {
                double overlap = Math.min(to, s + 1) - Math.max(from, s);
                sum += overlap * source[sourceOffset + s * sourceStride];
            }
            target[targetOffset + t * targetStride] = (float) (sum / span);
        }
    }
}
