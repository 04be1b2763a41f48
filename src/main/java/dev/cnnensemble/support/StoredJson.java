package dev.cnnensemble.support;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Reads JSON the service stored earlier: job configs in the database, checkpoint manifests on disk. */
public final class StoredJson {

    private StoredJson() {
    }

    /**
     * The API's mapper, tolerant of unknown fields: the API rejects them, but what another version
     * stored must still read.
     */
    public static JsonMapper reader(JsonMapper api) {
        return api.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }
}
