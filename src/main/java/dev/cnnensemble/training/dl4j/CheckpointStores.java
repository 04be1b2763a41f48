package dev.cnnensemble.training.dl4j;

import dev.cnnensemble.config.CnnProperties;

import org.springframework.stereotype.Component;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Opens the checkpoint store of a run under the data volume, for training and for serving alike. */
@Component
public class CheckpointStores {

    private final CnnProperties properties;
    private final JsonMapper json;

    public CheckpointStores(CnnProperties properties, JsonMapper json) {
        this.properties = properties;
        // The API rejects unknown fields; files written by another version must still read.
        this.json = json.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }

    public CheckpointStore forRun(String runId) {
        return new CheckpointStore(properties.jobsDir().resolve(runId), properties.checkpoints().keepLast(), json);
    }
}
