package dev.cnnensemble.training.dl4j;

import dev.cnnensemble.config.CnnProperties;
import dev.cnnensemble.support.StoredJson;

import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/** Opens the checkpoint store of a run under the data volume, for training and for serving alike. */
@Component
@NamedInterface("checkpoints")
public class CheckpointStores {

    private final CnnProperties properties;
    private final JsonMapper json;

    public CheckpointStores(CnnProperties properties, JsonMapper json) {
        this.properties = properties;
        this.json = StoredJson.reader(json);
    }

    public CheckpointStore forRun(String runId) {
        return new CheckpointStore(properties.jobsDir().resolve(runId), properties.checkpoints().keepLast(), json);
    }
}
