package dev.cnnensemble.dataset.upload;

import dev.cnnensemble.dataset.LabeledImages;

import java.util.List;

/**
 * An upload, read and checked: 28x28 images, labels 0..classNames.size()-1, 2..100 classes, each
 * class with at least the limits' minimum of training images.
 */
public record UploadedData(List<String> classNames, LabeledImages train, LabeledImages test) {

    public UploadedData {
        classNames = List.copyOf(classNames);
    }
}
