package dev.cnnensemble.imaging;

import static dev.cnnensemble.model.InputShape.SIDE;

import dev.cnnensemble.imaging.ImagingExceptions.UndecodableImage;
import dev.cnnensemble.imaging.ImagingExceptions.UnprocessableImage;
import dev.cnnensemble.imaging.ImagingExceptions.UnsupportedImageFormat;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes PNG, JPEG, GIF and BMP into luminance. The format is told by the bytes, not by the file
 * name or the part's content type. The size is read from the header first, so a huge or wrong-sized
 * image is refused before its pixels are allocated.
 *
 * <p>Gray images keep their exact 8-bit values (v/255, as in training); colour becomes luminance
 * (Rec. 601), and alpha is composited onto white, the colour of paper.
 */
public final class ImageDecoder {

    /** ImageIO's format names, by the name users know. */
    private static final Map<String, String> SUPPORTED = Map.of("png", "PNG", "jpeg", "JPEG", "jpg", "JPEG", "gif", "GIF", "bmp", "BMP");

    private final long maxPixels;
    private final String maxPixelsProperty;

    /**
     * @param maxPixelsProperty the setting that raises {@code maxPixels}, named when an image exceeds it:
     *                          each caller has its own, e.g. {@code cnn.inference.max-image-pixels}
     */
    public ImageDecoder(long maxPixels, String maxPixelsProperty) {
        this.maxPixels = maxPixels;
        this.maxPixelsProperty = maxPixelsProperty;
    }

    /**
     * @param part    how errors name the image, e.g. {@code images[2] (seven.png)}
     * @param anySize whether sizes other than 28x28 are accepted (they are preprocessed later)
     */
    public GrayImage decode(byte[] bytes, String part, boolean anySize) {
        if (bytes.length == 0) {
            throw new UndecodableImage(part, "is empty (0 bytes)");
        }
        // In memory: ImageIO's default stream for an InputStream writes a temporary file per image.
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw new UndecodableImage(part, "is not a PNG, JPEG, GIF or BMP image");
            }
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (!SUPPORTED.containsKey(format)) {
                    throw new UnsupportedImageFormat(part, format.toUpperCase(Locale.ROOT));
                }
                reader.setInput(input, true, true);
                checkSize(part, reader.getWidth(0), reader.getHeight(0), anySize);
                return toGray(reader.read(0));
            } finally {
                reader.dispose();
            }
        } catch (UndecodableImage | UnsupportedImageFormat | UnprocessableImage verdict) {
            throw verdict;
        } catch (IOException | RuntimeException e) {
            throw new UndecodableImage(part, "cannot be decoded: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    private void checkSize(String part, int width, int height, boolean anySize) {
        if (!anySize && (width != SIDE || height != SIDE)) {
            throw new UnprocessableImage(part + " is " + width + "x" + height + "; images must be " + SIDE + "x" + SIDE + ", "
                    + "or send preprocess=mnist to crop, scale and centre an image of any size the way MNIST was made");
        }
        if ((long) width * height > maxPixels) {
            throw new UnprocessableImage(part + " is " + width + "x" + height + ", more than the " + maxPixels
                    + " pixels this service decodes (" + maxPixelsProperty + ")");
        }
    }

    static GrayImage toGray(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        float[] pixels = new float[width * height];
        Raster raster = image.getRaster();
        boolean plainGray = image.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY
                && !(image.getColorModel() instanceof java.awt.image.IndexColorModel);
        if (plainGray) {
            // Read the samples: getRGB would convert linear gray to sRGB and change every value.
            float max = (1 << image.getColorModel().getComponentSize(0)) - 1;
            boolean alpha = image.getColorModel().hasAlpha();
            float alphaMax = alpha ? (1 << image.getColorModel().getComponentSize(1)) - 1 : 1;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    float gray = raster.getSample(x, y, 0) / max;
                    pixels[y * width + x] = alpha ? composite(gray, raster.getSample(x, y, 1) / alphaMax) : gray;
                }
            }
        } else {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int argb = image.getRGB(x, y);
                    int r = argb >>> 16 & 0xff;
                    int g = argb >>> 8 & 0xff;
                    int b = argb & 0xff;
                    float gray = r == g && g == b ? r / 255f : (0.299f * r + 0.587f * g + 0.114f * b) / 255f;
                    pixels[y * width + x] = composite(gray, (argb >>> 24) / 255f);
                }
            }
        }
        return new GrayImage(width, height, pixels);
    }

    /** Over white: a fully transparent pixel is paper. */
    private static float composite(float gray, float alpha) {
        return alpha >= 1f ? gray : gray * alpha + (1f - alpha);
    }
}
