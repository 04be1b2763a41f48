package dev.cnnensemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnensemble.support.ServiceOnRandomPort;

import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.client.RestClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The OpenAPI document as a generated client and Swagger UI's "Try it out" read it. */
@ServiceOnRandomPort
class OpenApiDocumentTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    @Value("${local.server.port}")
    int port;

    ObjectNode api;

    /** Also kept as target/openapi.json, for client generators and for reading. */
    @BeforeEach
    void document() throws IOException {
        String json = RestClient.create("http://127.0.0.1:" + port).get().uri("/v3/api-docs").retrieve().body(String.class);
        Files.writeString(Path.of("target", "openapi.json"), json);
        api = (ObjectNode) JsonMapper.builder().build().readTree(json);
    }

    @Test
    void namesTheServiceWithItsBuildVersionAndLinksTheReadme() {
        assertThat(api.at("/info/title").asString()).isEqualTo("CNN Ensemble Service");
        assertThat(api.at("/info/version").asString()).as("from build-info").matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(api.at("/info/description").asString()).contains("POST /jobs", "POST /predict", "(/README.md)");
        assertThat(RestClient.create("http://127.0.0.1:" + port).get().uri("/README.md").retrieve().body(String.class))
                .startsWith("# CNN Ensemble Service");
    }

    /** Generated clients name their methods after operation ids: list_1 or get_3 say nothing. */
    @Test
    void everyOperationHasItsOwnNamedId() {
        Set<String> ids = new HashSet<>();
        for (Map.Entry<String, JsonNode> path : api.get("paths").properties()) {
            String resource = path.getKey().split("/")[1].replaceFirst("s$", "").toLowerCase(Locale.ROOT);
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (!METHODS.contains(operation.getKey())) {
                    continue;
                }
                String id = operation.getValue().path("operationId").asString();
                String where = operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
                assertThat(id).as(where).matches("[a-z][A-Za-z0-9]+").doesNotContain("_");
                assertThat(id.toLowerCase(Locale.ROOT)).as(where + " names its resource").contains(resource);
                assertThat(ids.add(id)).as(where + ": " + id + " is unique").isTrue();
            }
        }
        assertThat(ids).contains("submitJob", "predict", "listModels");
    }

    /** Every request example must run as it is ("Try it out" sends it unchanged), and every response example must be true. */
    @Test
    void everyExampleValidatesAgainstItsOwnSchema() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : api.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                String where = operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
                checked.addAll(checkExamples(registry, where + " request", operation.getValue().path("requestBody")));
                for (Map.Entry<String, JsonNode> response : operation.getValue().path("responses").properties()) {
                    checked.addAll(checkExamples(registry, where + " " + response.getKey(), response.getValue()));
                }
            }
        }
        assertThat(checked).as("the examples the README and Swagger UI offer")
                .contains("quick-trial", "tutorial-baseline", "tutorial-ensemble", "tutorial-best", "mnist-seven", "job-queued");
    }

    private List<String> checkExamples(SchemaRegistry registry, String where, JsonNode body) {
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, JsonNode> media : body.path("content").properties()) {
            // The whole document is the schema, so that its $refs resolve; allOf points at the body's own schema.
            ObjectNode schema = api.deepCopy();
            schema.putArray("allOf").add(media.getValue().get("schema"));
            var validator = registry.getSchema(schema);
            for (Map.Entry<String, JsonNode> example : media.getValue().path("examples").properties()) {
                JsonNode value = resolve(example.getValue()).get("value");
                String which = where + " " + media.getKey() + " " + example.getKey();
                assertThat(value).as(which + " has a value").isNotNull();
                List<Error> errors = validator.validate(value);
                assertThat(errors).as(which).isEmpty();
                checked.add(example.getKey());
            }
        }
        return checked;
    }

    @Test
    void aSchemaRefusesAnExampleThatBreaksIt() {
        ObjectNode schema = api.deepCopy();
        schema.putArray("allOf").addObject().put("$ref", "#/components/schemas/JobRequest");
        JsonNode tooMany = JsonMapper.builder().build().readTree("{\"ensembleSize\": 11}");

        assertThat(SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema).validate(tooMany)).isNotEmpty();
    }

    private JsonNode resolve(JsonNode example) {
        return example.has("$ref") ? api.at(example.get("$ref").asString().substring(1)) : example;
    }
}
