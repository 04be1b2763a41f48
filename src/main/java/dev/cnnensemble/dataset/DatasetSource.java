package dev.cnnensemble.dataset;

import java.io.IOException;
import java.nio.file.Path;

/** A place a dataset's uncompressed IDX files can be copied from. Sources are tried in order. */
public interface DatasetSource {

    String describe();

    boolean supports(DatasetSpec spec);

    /**
     * Whether this source can deliver the dataset now, as far as can be told without fetching it: the
     * package installed, the command on the path. Checked when a job is submitted.
     */
    default boolean isReady(DatasetSpec spec) {
        return supports(spec);
    }

    /** Writes every file of {@code spec} into {@code stagingDir}, uncompressed; the caller verifies them. */
    void fetchInto(DatasetSpec spec, Path stagingDir) throws IOException, InterruptedException;
}
