package dev.cnnensemble.dataset.upload;

/**
 * Bounds for one upload.
 *
 * @param maxImages            images in train and test together (413 beyond)
 * @param maxUncompressedBytes the sizes a zip's entries declare, summed (413 beyond)
 * @param minImagesPerClass    training images each class needs (422 below)
 * @param maxImagePixels       width x height of one image, read from its header before decoding (422 beyond)
 */
public record UploadLimits(int maxImages, long maxUncompressedBytes, int minImagesPerClass, long maxImagePixels) {

    public UploadLimits {
        if (maxImages <= 0 || maxUncompressedBytes <= 0 || minImagesPerClass <= 0 || maxImagePixels <= 0) {
            throw new IllegalArgumentException("upload limits must be positive: " + maxImages + ", " + maxUncompressedBytes
                    + ", " + minImagesPerClass + ", " + maxImagePixels);
        }
    }
}
