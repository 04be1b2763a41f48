package dev.cnnensemble.training.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnensemble.model.Architecture;
import dev.cnnensemble.model.Network;
import dev.cnnensemble.model.NetworkFactory;
import dev.cnnensemble.support.Checksums;
import dev.cnnensemble.training.CheckpointInfo;
import dev.cnnensemble.training.EpochMetrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Adam;

class CheckpointStoreTest {

    @TempDir
    Path runDir;

    private final Network network = NetworkFactory.create(Architecture.CNN, 3, new Adam(1e-3));

    @Test
    void keepsTheLastKEpochsAndTheBestOne() throws IOException {
        CheckpointStore store = new CheckpointStore(runDir, 2, TrainingFixtures.JSON);
        double[] accuracies = {0.90, 0.97, 0.93, 0.95};
        for (int epoch = 1; epoch <= 4; epoch++) {
            store.save(network, draft(epoch, 0, new EpochMetrics(0.1, 0.9, null, accuracies[epoch - 1])));
        }

        CheckpointStore.MemberManifest manifest = store.manifest(0);
        assertThat(manifest.checkpoints()).extracting(CheckpointInfo::epoch).containsExactly(3, 4);
        assertThat(manifest.best().epoch()).isEqualTo(2);
        assertThat(fileNames(runDir.resolve("member-0"))).containsExactlyInAnyOrder("epoch-3.zip", "epoch-4.zip", "best.zip", "manifest.json");
        assertThat(manifest.checkpoints().get(1).sha256()).hasSize(64);
        assertThat(manifest.checkpoints().get(1).bytes()).isEqualTo(Files.size(runDir.resolve("member-0/epoch-4.zip")));
        assertThat(Checksums.sha256(runDir.resolve("member-0/best.zip"))).isEqualTo(manifest.best().sha256());
    }

    @Test
    void midEpochCheckpointIsKeptOnlyWhileItIsTheNewest() throws IOException {
        CheckpointStore store = new CheckpointStore(runDir, 3, TrainingFixtures.JSON);
        store.save(network, draft(1, 0, new EpochMetrics(0.1, 0.9, null, 0.9)));
        store.save(network, draft(1, 17, null));
        assertThat(store.manifest(0).checkpoints()).extracting(CheckpointInfo::file).containsExactly("epoch-1.zip", "epoch-1-step-17.zip");

        store.save(network, draft(2, 0, new EpochMetrics(0.1, 0.9, null, 0.9)));

        assertThat(store.manifest(0).checkpoints()).extracting(CheckpointInfo::file).containsExactly("epoch-1.zip", "epoch-2.zip");
        assertThat(runDir.resolve("member-0/epoch-1-step-17.zip")).doesNotExist();
    }

    @Test
    void truncatedLatestCheckpointFallsBackToThePreviousOne() throws IOException {
        CheckpointStore store = new CheckpointStore(runDir, 3, TrainingFixtures.JSON);
        store.save(network, draft(1, 0, new EpochMetrics(0.1, 0.9, null, 0.9)));
        store.save(network, draft(2, 0, new EpochMetrics(0.1, 0.9, null, 0.9)));
        Path latest = runDir.resolve("member-0/epoch-2.zip");
        byte[] bytes = Files.readAllBytes(latest);
        Files.write(latest, Arrays.copyOf(bytes, bytes.length / 2));

        var restored = store.latest(0, Architecture.CNN);

        assertThat(restored).isPresent();
        assertThat(restored.get().info().epoch()).isEqualTo(1);
        assertThat(restored.get().network().parameterCount()).isEqualTo(619_786);
    }

    @Test
    void corruptContentWithAMatchingChecksumIsAlsoSkipped() throws IOException {
        CheckpointStore store = new CheckpointStore(runDir, 3, TrainingFixtures.JSON);
        store.save(network, draft(1, 0, new EpochMetrics(0.1, 0.9, null, 0.9)));
        store.save(network, draft(2, 0, new EpochMetrics(0.1, 0.9, null, 0.9)));
        // Garbage that the manifest is then made to agree with: only loading can tell.
        Path latest = runDir.resolve("member-0/epoch-2.zip");
        Files.write(latest, new byte[]{'P', 'K', 3, 4, 0, 0});
        CheckpointStore.MemberManifest manifest = store.manifest(0);
        CheckpointInfo e = manifest.checkpoints().get(1);
        CheckpointInfo agreeing = new CheckpointInfo(e.member(), e.epoch(), e.step(), e.file(), Checksums.sha256(latest),
                6, e.iteration(), e.learningRate(), e.seed(), e.partialLoss(), e.metrics(), e.createdAt());
        Files.write(runDir.resolve("member-0/manifest.json"), TrainingFixtures.JSON.writeValueAsBytes(
                new CheckpointStore.MemberManifest(0, List.of(manifest.checkpoints().get(0), agreeing), manifest.best())));

        assertThat(store.latest(0, Architecture.CNN)).get().extracting(r -> r.info().epoch()).isEqualTo(1);
    }

    @Test
    void noCheckpointMeansAFreshStart() {
        assertThat(new CheckpointStore(runDir, 3, TrainingFixtures.JSON).latest(0, Architecture.CNN)).isEmpty();
    }

    @Test
    void leavesNoTemporaryFilesBehind() throws IOException {
        CheckpointStore store = new CheckpointStore(runDir, 3, TrainingFixtures.JSON);
        store.save(network, draft(1, 0, new EpochMetrics(0.1, 0.9, null, 0.9)));

        assertThat(fileNames(runDir.resolve("member-0"))).noneMatch(name -> name.endsWith(".tmp"));
    }

    private static CheckpointInfo draft(int epoch, int step, EpochMetrics metrics) {
        return new CheckpointInfo(0, epoch, step, null, null, 0, epoch * 10 + step, 0.001, 5, 0, metrics, Instant.now());
    }

    private static String[] fileNames(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toArray(String[]::new);
        }
    }
}
