package dev.cnnensemble.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Copies the gzipped files a Debian package installed (e.g. {@code dataset-fashion-mnist}). */
class DebianPackageSource extends PackageSource {

    DebianPackageSource() {
        super("Debian package", DatasetSpec::debianFolder);
    }

    @Override
    boolean isReady(String installedFolder, DatasetSpec spec) {
        return spec.files().stream().allMatch(file -> Files.isRegularFile(Path.of(installedFolder, file.fileName() + ".gz")));
    }

    @Override
    void fetchPackage(String installedFolder, DatasetSpec spec, Path stagingDir) throws IOException {
        Path folder = Path.of(installedFolder);
        for (DatasetSpec.DataFile file : spec.files()) {
            Path gz = folder.resolve(file.fileName() + ".gz");
            if (!Files.isRegularFile(gz)) {
                throw new IOException(gz + " is missing (install the Debian package that provides " + folder + ")");
            }
            try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
                stage(in, stagingDir, file.fileName());
            }
        }
    }
}
