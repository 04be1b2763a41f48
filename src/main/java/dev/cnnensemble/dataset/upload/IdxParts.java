package dev.cnnensemble.dataset.upload;

import dev.cnnensemble.dataset.upload.UploadExceptions.UnusableUpload;

import java.io.IOException;
import java.io.InputStream;

import org.jspecify.annotations.Nullable;

/** The four IDX parts of an upload; without the two test parts, the test set is split off the training set. */
public record IdxParts(Part trainImages, Part trainLabels, @Nullable Part testImages, @Nullable Part testLabels) {

    public IdxParts {
        if ((testImages == null) != (testLabels == null)) {
            Part given = testImages == null ? testLabels : testImages;
            throw new UnusableUpload(given.name() + " needs its test " + (testImages == null ? "images" : "labels")
                    + ": send both test parts, or neither and a test split");
        }
    }

    /**
     * @param name   how errors name the part, e.g. the form field
     * @param stream opened once, read and closed by the reader; raw or gzipped
     */
    public record Part(String name, Source stream) {
    }

    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }
}
