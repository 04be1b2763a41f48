package dev.cnnensemble.training.dl4j;

import dev.cnnensemble.config.CnnProperties;
import dev.cnnensemble.dataset.RealData;
import dev.cnnensemble.training.TrainingConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;

/** An engine over real MNIST that keeps its checkpoints in a test's own folder. */
final class TrainingFixtures {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private TrainingFixtures() {
    }

    static Dl4jTrainingEngine trainer(Path dataDir) {
        CnnProperties properties = new CnnProperties(dataDir,
                new CnnProperties.Datasets(List.of(), false, Duration.ofSeconds(5), "npm", Duration.ofMinutes(5), RealData.UPLOADS),
                new CnnProperties.Checkpoints(3));
        return new Dl4jTrainingEngine(RealData.store(), new CheckpointStores(properties, JSON));
    }

    /** A quick trial: the first {@code train} training and {@code test} test images. */
    static TrainingConfig.Builder slice(int train, int test) {
        return TrainingConfig.defaults().toBuilder().trainLimit(train).testLimit(test).trainEvalSamples(1000);
    }
}
