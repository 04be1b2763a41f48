package dev.cnnensemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnensemble.support.ServiceOnRandomPort;
import dev.cnnensemble.training.TrainingConfig;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The whole service over real HTTP: actuator, OpenAPI, Swagger UI and the real architecture summaries. */
@ServiceOnRandomPort
class ApplicationTest {

    @Value("${local.server.port}")
    int port;

    RestClient http;

    @BeforeEach
    void client() {
        http = RestClient.create("http://127.0.0.1:" + port);
    }

    @Test
    void readinessAndLivenessAreUp() {
        assertThat(http.get().uri("/actuator/health/readiness").retrieve().body(String.class)).contains("\"UP\"");
        assertThat(http.get().uri("/actuator/health/liveness").retrieve().body(String.class)).contains("\"UP\"");
    }

    @Test
    void openApiAndSwaggerUiAreServed() {
        assertThat(http.get().uri("/v3/api-docs").retrieve().body(String.class)).contains("/architectures", "/datasets", "/workers");
        assertThat(http.get().uri("/swagger-ui/index.html").retrieve().toBodilessEntity().getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    /**
     * The body of POST /jobs shows the configuration's fields beside the name, with the ranges the configuration itself holds;
     * seeds, in and out, are strings of an int64.
     */
    @Test
    void theJobRequestSchemaShowsTheConfigurationsOwnRanges() {
        JsonNode schemas = JsonMapper.builder().build().readTree(http.get().uri("/v3/api-docs").retrieve().body(String.class)).at("/components/schemas");
        JsonNode schema = schemas.at("/JobRequest/properties");

        assertThat(schema.has("name")).isTrue();
        assertThat(schema.has("config")).as("unwrapped").isFalse();
        assertThat(schema.at("/ensembleSize/maximum").asInt()).isEqualTo(TrainingConfig.MAX_ENSEMBLE);
        assertThat(schema.at("/epochs/minimum").asInt()).isEqualTo(1);
        for (JsonNode seed : List.of(schema.get("seed"), schemas.at("/TrainingConfig/properties/seed"), schemas.at("/CheckpointInfo/properties/seed"))) {
            // "string", or ["string", "null"] where the seed may be left out
            assertThat(seed.get("type").toString()).as("%s", seed).contains("\"string\"").doesNotContain("integer");
            assertThat(seed.get("format").asString()).isEqualTo("int64");
            assertThat(seed.get("pattern").asString()).isEqualTo(TrainingConfig.SEED_PATTERN);
        }
        assertThat(schema.at("/seed/example").asString()).as("2^53 + 1, which a double rounds").isEqualTo("9007199254740993");
    }

    @Test
    void servesTheRealBaselineSummaryAsJsonAndAsAKerasStyleTable() {
        String table = http.get().uri("/architectures/cnn").accept(MediaType.TEXT_PLAIN).retrieve().body(String.class);
        String json = http.get().uri("/architectures/resnet").accept(MediaType.APPLICATION_JSON).retrieve().body(String.class);

        assertThat(table).contains("Total params: 619,786", "(4, 4, 128)");
        assertThat(json).contains("\"res_add\"", "\"graphType\":\"ComputationGraph\"");
    }
}
