package dev.cnnensemble.dataset.upload;

import dev.cnnensemble.dataset.upload.UploadExceptions.UnusableUpload;
import dev.cnnensemble.dataset.upload.UploadExceptions.UploadTooLarge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * What a zip holds, told from its central directory alone, before any entry is inflated: its images,
 * which set and class folder each belongs to, in the order they become the dataset's.
 *
 * <p>Two layouts: {@code <class>/<image>}, or {@code train/<class>/<image>} and {@code test/<class>/<image>}
 * ({@code training} and {@code testing} as in mnist_png). A folder that holds everything, as when a
 * folder is zipped, is looked through.
 */
record ZipLayout(List<ImageEntry> train, List<ImageEntry> test) {

    private static final Set<String> TRAIN = Set.of("train", "training");
    private static final Set<String> TEST = Set.of("test", "testing");
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");

    /**
     * Images by file name in natural order, then by path. Named as mnist_png names them
     * ({@code training/7/123.png}: the index in the original IDX file), a zip of a dataset's images then
     * gives back its IDX order, so it trains the same model for the same seed as the IDX upload.
     */
    private static final Comparator<ImageEntry> ORDER = Comparator.<ImageEntry, String>comparing(image -> image.path().fileName(), NaturalOrder.TOTAL)
            .thenComparing(image -> image.entry().getName());

    /** An image entry, with the class folder it sits in. */
    record ImageEntry(ZipArchiveEntry entry, EntryPath path) {
    }

    /** An entry's name cut into folders, the leading common folder taken off. */
    record EntryPath(List<String> segments) {
        String fileName() {
            return segments.get(segments.size() - 1);
        }

        String classFolder() {
            return segments.get(segments.size() - 2);
        }
    }

    /** The class folders of a set, in natural order. */
    static Set<String> classFolders(List<ImageEntry> images) {
        Set<String> folders = new TreeSet<>(NaturalOrder.TOTAL);
        images.forEach(image -> folders.add(image.path().classFolder()));
        return folders;
    }

    static ZipLayout of(ZipFile zip, UploadLimits limits) {
        List<ZipArchiveEntry> files = new ArrayList<>();
        long declared = 0;
        ZipArchiveEntry largest = null;
        for (ZipArchiveEntry entry : Collections.list(zip.getEntries())) {
            String name = entry.getName();
            if (entry.isUnixSymlink()) {
                throw new UnusableUpload(name + " is a link; a dataset holds plain files only");
            }
            if (leavesTheFolder(name)) {
                throw new UnusableUpload(name + ": entry leaves the dataset's folder (absolute, a drive, a backslash or a '..')");
            }
            if (entry.isDirectory()) {
                continue;
            }
            if (entry.getSize() < 0) {
                throw new UnusableUpload(name + " does not declare its uncompressed size");
            }
            declared += entry.getSize();
            if (largest == null || entry.getSize() > largest.getSize()) {
                largest = entry;
            }
            if (!ignored(name)) {
                files.add(entry);
            }
        }
        if (largest != null && declared > limits.maxUncompressedBytes()) {
            throw new UploadTooLarge("zip bomb: the entries declare " + declared + " bytes uncompressed, more than the "
                    + limits.maxUncompressedBytes() + " an upload may hold; the largest is " + largest.getName() + " (" + largest.getSize() + " bytes)");
        }
        if (files.size() > limits.maxImages()) {
            throw new UploadTooLarge("the zip holds " + files.size() + " images, more than the " + limits.maxImages() + " an upload may hold");
        }
        return arrange(files);
    }

    private static ZipLayout arrange(List<ZipArchiveEntry> files) {
        List<List<String>> paths = files.stream().map(entry -> List.of(entry.getName().split("/"))).toList();
        boolean wrapped = !paths.isEmpty() && paths.stream().allMatch(p -> p.size() >= 3 && p.get(0).equals(paths.get(0).get(0)))
                && !TRAIN.contains(paths.get(0).get(0)) && !TEST.contains(paths.get(0).get(0));
        boolean split = paths.stream().anyMatch(p -> p.size() > (wrapped ? 1 : 0) && isSet(p.get(wrapped ? 1 : 0)));
        List<ImageEntry> train = new ArrayList<>();
        List<ImageEntry> test = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            ZipArchiveEntry entry = files.get(i);
            List<String> path = paths.get(i).subList(wrapped ? 1 : 0, paths.get(i).size());
            if (split) {
                if (path.size() != 3 || !isSet(path.get(0))) {
                    throw new UnusableUpload(entry.getName() + " is not an image in train/<class>/ or test/<class>/");
                }
                (TRAIN.contains(path.get(0)) ? train : test).add(new ImageEntry(entry, new EntryPath(path)));
            } else {
                if (path.size() != 2) {
                    throw new UnusableUpload(entry.getName() + " is not an image in a class folder (<class>/<image>)");
                }
                train.add(new ImageEntry(entry, new EntryPath(path)));
            }
        }
        if (train.isEmpty()) {
            throw new UnusableUpload(split ? "the zip has test images but no train/ folder" : "the zip holds no images");
        }
        Set<String> trainFolders = classFolders(train);
        test.stream().filter(image -> !trainFolders.contains(image.path().classFolder())).findFirst().ifPresent(image -> {
            throw new UnusableUpload(image.entry().getName() + " is in class folder '" + image.path().classFolder()
                    + "', which train/ does not have; test classes must be among the training classes");
        });
        train.sort(ORDER);
        test.sort(ORDER);
        return new ZipLayout(List.copyOf(train), List.copyOf(test));
    }

    private static boolean isSet(String folder) {
        return TRAIN.contains(folder) || TEST.contains(folder);
    }

    private static boolean leavesTheFolder(String name) {
        return name.startsWith("/") || name.contains("\\") || DRIVE.matcher(name).matches() || List.of(name.split("/")).contains("..");
    }

    /** What archivers add: macOS's resource forks and hidden files such as .DS_Store. */
    private static boolean ignored(String name) {
        return name.startsWith("__MACOSX/") || List.of(name.split("/")).stream().anyMatch(segment -> segment.startsWith("."));
    }
}
