package dev.cnnensemble.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;

/** Copies the gzipped files a Debian package installed (e.g. {@code dataset-fashion-mnist}). */
class DebianPackageSource implements DatasetSource {

    @Override
    public String describe() {
        return "Debian package";
    }

    @Override
    public boolean supports(DatasetSpec spec) {
        return spec.debianFolder() != null;
    }

    @Override
    public void fetchInto(DatasetSpec spec, Path stagingDir) throws IOException {
        Path folder = Path.of(spec.debianFolder());
        for (DatasetSpec.DataFile file : spec.files()) {
            Path gz = folder.resolve(file.fileName() + ".gz");
            if (!Files.isRegularFile(gz)) {
                throw new IOException(gz + " is missing (install the Debian package that provides " + folder + ")");
            }
            try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
                Files.copy(in, stagingDir.resolve(file.fileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
