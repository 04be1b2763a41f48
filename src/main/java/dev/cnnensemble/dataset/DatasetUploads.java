package dev.cnnensemble.dataset;

import dev.cnnensemble.config.CnnProperties;
import dev.cnnensemble.dataset.DatasetExceptions.BuiltIn;
import dev.cnnensemble.dataset.DatasetExceptions.InUse;
import dev.cnnensemble.dataset.DatasetExceptions.NameTaken;
import dev.cnnensemble.dataset.DatasetSpec.DataFile;
import dev.cnnensemble.dataset.upload.DatasetReader;
import dev.cnnensemble.dataset.upload.IdxParts;
import dev.cnnensemble.dataset.upload.UploadLimits;
import dev.cnnensemble.dataset.upload.UploadedData;
import dev.cnnensemble.imaging.Preprocessing.Invert;
import dev.cnnensemble.support.Checksums;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * Users' own datasets: an upload is read and checked in memory, written as the four IDX files the
 * built-ins have, recorded with their SHA-256 in the database, then moved into place on the volume.
 * The database decides the races: its primary key between two uploads of one name, and the jobs'
 * foreign key between a deletion and a job on the dataset, on any replica.
 */
@Service
public class DatasetUploads {

    private static final Logger log = LoggerFactory.getLogger(DatasetUploads.class);

    /** Lower-case letters, digits, '.', '_' and '-': safe in a path, a URL and a folder name. */
    public static final String NAME_PATTERN = "[a-z0-9][a-z0-9._-]{0,63}";
    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
    private static final String STAGING_PREFIX = ".upload-";
    private static final Duration ABANDONED_AFTER = Duration.ofHours(1);

    /** The files of an upload: the four IDX files, or a zip of image folders on disk. */
    public sealed interface Source {
        record Idx(IdxParts parts) implements Source {
        }

        record Zip(Path file, boolean preprocessMnist, Invert invert) implements Source {
        }
    }

    /**
     * What a user asks for, checked before any file is read.
     *
     * @param classNames null: the folder names of a zip, or "0".."k-1" for IDX files
     * @param testSplit  the share of each class kept for testing when no test files are given
     */
    public record NewDataset(String name, @Nullable String description, @Nullable List<String> classNames, @Nullable Double testSplit) {
        public NewDataset {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("name must match " + NAME_PATTERN);
            }
        }
    }

    private final DatasetCatalog catalog;
    private final UploadedDatasets uploads;
    private final DatasetStore store;
    private final DatasetUsers users;
    private final DatasetReader reader;
    private final Path root;
    private final Clock clock;

    DatasetUploads(DatasetCatalog catalog, UploadedDatasets uploads, DatasetStore store, DatasetUsers users, CnnProperties properties,
                   Clock clock) {
        this.catalog = catalog;
        this.uploads = uploads;
        this.store = store;
        this.users = users;
        CnnProperties.Uploads limits = properties.datasets().uploads();
        this.reader = new DatasetReader(new UploadLimits(limits.maxImages(), limits.maxUncompressedSize().toBytes(),
                limits.minImagesPerClass(), limits.maxImagePixels()));
        this.root = properties.datasetsDir();
        this.clock = clock;
    }

    /**
     * Removes staging folders that a crash left behind. Only old ones: another replica on the volume
     * may be writing its own right now, and an upload takes seconds, not an hour.
     */
    @EventListener(ApplicationReadyEvent.class)
    void removeAbandonedStaging() {
        Instant before = clock.instant().minus(ABANDONED_AFTER);
        try (Stream<Path> folders = Files.exists(root) ? Files.list(root) : Stream.empty()) {
            for (Path folder : folders.filter(f -> f.getFileName().toString().startsWith(STAGING_PREFIX)).toList()) {
                if (Files.getLastModifiedTime(folder).toInstant().isBefore(before)) {
                    DatasetStore.deleteRecursively(folder);
                    log.info("Removed {}, an upload abandoned by a crash", folder);
                }
            }
        } catch (IOException e) {
            log.warn("Could not look for abandoned uploads in {}: {}", root, e.toString());
        }
    }

    public Upload create(NewDataset request, Source source) {
        // Refused before the upload is read; the primary key still decides a race.
        if (catalog.find(request.name()).isPresent()) {
            throw new NameTaken(request.name());
        }
        UploadedData data = source instanceof Source.Zip zip
                ? reader.readZip(zip.file(), request.classNames(), zip.preprocessMnist(), zip.invert(), request.testSplit())
                : reader.readIdx(((Source.Idx) source).parts(), request.classNames(), request.testSplit());
        DatasetSpec layout = catalog.get(DatasetCatalog.MNIST);
        Path staging = null;
        try {
            Files.createDirectories(root);
            staging = Files.createTempDirectory(root, STAGING_PREFIX);
            IdxWriter.write(data.train(), staging.resolve(layout.trainImages().fileName()), staging.resolve(layout.trainLabels().fileName()));
            IdxWriter.write(data.test(), staging.resolve(layout.testImages().fileName()), staging.resolve(layout.testLabels().fileName()));
            Path written = staging;
            List<DataFile> files = layout.files().stream()
                    .map(file -> new DataFile(file.fileName(), Checksums.sha256(written.resolve(file.fileName())))).toList();
            String description = request.description() != null ? request.description()
                    : "Uploaded: " + data.train().size() + " training and " + data.test().size() + " test images, " + data.classNames().size() + " classes";
            // As the database keeps it, so that this answer and a later GET agree.
            Instant createdAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
            try {
                uploads.insert(request.name(), new UploadedDatasets.Details(description, data.classNames(), files), createdAt);
            } catch (DuplicateKeyException race) {
                throw new NameTaken(request.name());
            }
            // The row is ours, so a folder already there is a leftover of an upload that crashed before its row.
            Path target = root.resolve(request.name());
            DatasetStore.deleteRecursively(target);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            staging = null;
            Upload upload = new Upload(DatasetSpec.uploaded(request.name(), description, data.classNames(), files), createdAt);
            log.info("Dataset {} uploaded: {} training and {} test images, classes {}", request.name(), data.train().size(),
                    data.test().size(), data.classNames());
            return upload;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (staging != null) {
                DatasetStore.deleteRecursively(staging);
            }
        }
    }

    /** Deletes an uploaded dataset that no job or model uses, with its files. */
    public void delete(String name) {
        DatasetSpec spec = catalog.get(name);
        if (spec.builtIn()) {
            throw new BuiltIn(name);
        }
        List<String> jobs = users.jobsOn(name);
        if (!jobs.isEmpty()) {
            throw new InUse(name, jobs);
        }
        try {
            uploads.delete(name);
        } catch (DataIntegrityViolationException race) {
            // A job on it was stored since the check above.
            throw new InUse(name, users.jobsOn(name));
        }
        store.forget(spec);
        DatasetStore.deleteRecursively(root.resolve(name));
        log.info("Dataset {} deleted with its files", name);
    }
}
