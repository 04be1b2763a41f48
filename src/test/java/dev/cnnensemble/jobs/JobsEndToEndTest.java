package dev.cnnensemble.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnensemble.dataset.RealData;
import dev.cnnensemble.dataset.RequiresMnist;
import dev.cnnensemble.support.JobApi;
import dev.cnnensemble.support.TestApiKeys;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

import tools.jackson.databind.JsonNode;

/** Jobs over real HTTP that really train on slices of real MNIST. */
@RequiresMnist
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = TestApiKeys.PROPERTY)
class JobsEndToEndTest {

    private static final Path DATA_DIR = RealData.freshDataDir();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        RealData.register(registry, DATA_DIR);
    }

    @Value("${local.server.port}")
    int port;

    JobApi api;
    RestClient http;

    @BeforeEach
    void client() {
        api = JobApi.at(port);
        http = api.http();
    }

    @Test
    void aTwoMemberJobTrainsReportsEveryEpochOverSseAndKeepsItsCheckpoints() throws Exception {
        JsonNode created = post("/jobs", """
                {"name": "e2e", "ensembleSize": 2, "epochs": 1, "trainLimit": 2000, "testLimit": 500}""");
        String id = created.get("id").asString();
        CompletableFuture<List<String>> events = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobs/" + id + "/events")).build(),
                HttpResponse.BodyHandlers.ofLines()).thenApply(response -> response.body().toList());

        JsonNode done = await(id, job -> job.get("state").asString().equals("SUCCEEDED"));

        assertThat(done.get("attempts").asInt()).isEqualTo(1);
        assertThat(done.at("/progress/percent").asDouble()).isEqualTo(100.0);
        JsonNode epoch = done.get("history").get(0);
        assertThat(done.get("history")).hasSize(1);
        assertThat(epoch.get("epoch").asInt()).isEqualTo(1);
        assertThat(epoch.get("members")).hasSize(2);
        assertThat(epoch.at("/ensemble/testAccuracy").asDouble()).isBetween(0.5, 1.0);
        assertThat(epoch.at("/members/0/loss").asDouble()).isPositive();
        assertThat(epoch.get("samplesPerSecond").asDouble()).isPositive();
        assertThat(done.get("checkpoints")).hasSize(2);
        assertThat(DATA_DIR.resolve("jobs/" + id + "/member-0/epoch-1.zip")).exists();
        assertThat(DATA_DIR.resolve("jobs/" + id + "/member-1/epoch-1.zip")).exists();
        assertThat(DATA_DIR.resolve("jobs/" + id + "/member-1/manifest.json")).exists();

        // The stream started with the job's state, carried progress and the epoch, and ended with the job.
        List<String> lines = events.get(30, TimeUnit.SECONDS);
        assertThat(lines).contains("event:state", "event:progress", "event:epoch");
        assertThat(lines.stream().filter(l -> l.startsWith("data:")).reduce((a, b) -> b).orElseThrow()).contains("\"SUCCEEDED\"");

        String prometheus = http.get().uri("/actuator/prometheus").retrieve().body(String.class);
        assertThat(prometheus).containsPattern("cnn_jobs\\{[^}]*state=\"SUCCEEDED\"[^}]*} [1-9]")
                .containsPattern("cnn_training_epoch_duration_seconds_count\\{[^}]*architecture=\"cnn\"[^}]*} [1-9]")
                .containsPattern("cnn_training_images_total(\\{[^}]*})? [1-9]")
                .contains("cnn_jobs_queue_depth", "cnn_training_throughput_images_per_second");
    }

    @Test
    void aCancelledJobStopsWithACheckpointAndResumesWithoutRepeatingAnEpoch() {
        String id = post("/jobs", """
                {"name": "cancel-resume", "epochs": 3, "trainLimit": 6000, "testLimit": 300}""").get("id").asString();
        await(id, job -> job.at("/progress/epoch").asInt() == 2 && job.at("/progress/step").asInt() >= 3);

        JsonNode cancelling = post("/jobs/" + id + "/cancel", "");
        assertThat(cancelling.get("state").asString()).isIn("RUNNING", "CANCELLED");
        JsonNode cancelled = await(id, job -> job.get("state").asString().equals("CANCELLED"));
        assertThat(cancelled.get("finishedAt").isNull()).isFalse();
        assertThat(cancelled.get("checkpoints").findValuesAsString("file")).anyMatch(f -> f.matches("epoch-1-step-\\d+\\.zip"));
        assertThat(status(() -> post("/jobs/" + id + "/cancel", ""))).isEqualTo(HttpStatus.CONFLICT);

        post("/jobs/" + id + "/resume", "");
        JsonNode done = await(id, job -> job.get("state").asString().equals("SUCCEEDED"));

        assertThat(done.get("attempts").asInt()).isEqualTo(2);
        assertThat(done.get("resumedAtEpoch").asInt()).isEqualTo(2);
        assertThat(done.get("resumedAtStep").asLong()).as("resumed mid-epoch 2, after epoch 1's 30 steps").isGreaterThan(30);
        assertThat(done.get("history").findValues("epoch")).extracting(JsonNode::asInt).containsExactly(1, 2, 3);
    }

    /** The IETF draft on Idempotency-Key: a replay gets the job, another body 422, a retry racing the first 409. */
    @Test
    void anIdempotencyKeyReplaysItsOwnRequestOnly() throws Exception {
        String tiny = "{\"name\": \"idem\", \"epochs\": 1, \"trainLimit\": 200, \"testLimit\": 100}";
        HttpResponse<String> first = postWithKey("key-a", tiny);
        HttpResponse<String> replay = postWithKey("key-a", tiny);
        HttpResponse<String> other = postWithKey("key-a", tiny.replace("\"epochs\": 1", "\"epochs\": 2"));

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).hasValue("false");
        assertThat(replay.statusCode()).isEqualTo(202);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(replay.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(other.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(other.body()).contains("was sent with another request");

        List<CompletableFuture<HttpResponse<String>>> racing = IntStream.range(0, 8)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> postWithKeyUnchecked("key-b", tiny))).toList();
        List<HttpResponse<String>> answers = racing.stream().map(CompletableFuture::join).toList();
        assertThat(answers).extracting(HttpResponse::statusCode).allMatch(code -> code == 202 || code == 409);
        assertThat(answers).filteredOn(r -> r.headers().firstValue("Idempotent-Replayed").equals(Optional.of("false")))
                .as("exactly one of 8 concurrent requests created the job").hasSize(1);
        assertThat(answers).filteredOn(r -> r.statusCode() == 409)
                .allSatisfy(r -> assertThat(r.headers().firstValue("Retry-After")).hasValue("1"));
        HttpResponse<String> retry = postWithKey("key-b", tiny);
        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    }

    @Test
    void aJobOnAnUnknownDatasetIsRefusedAtSubmission() {
        assertThat(status(() -> post("/jobs", "{\"dataset\": \"cifar\"}"))).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void aRunningJobCannotBeDeletedAndAFinishedOneTakesItsFilesWithIt() {
        String id = post("/jobs", """
                {"epochs": 2, "trainLimit": 2000, "testLimit": 200}""").get("id").asString();
        await(id, job -> job.get("state").asString().equals("RUNNING"));
        assertThat(status(() -> http.delete().uri("/jobs/" + id).retrieve().toBodilessEntity())).isEqualTo(HttpStatus.CONFLICT);

        await(id, job -> job.get("state").asString().equals("SUCCEEDED"));
        assertThat(http.delete().uri("/jobs/" + id).retrieve().toBodilessEntity().getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);

        assertThat(DATA_DIR.resolve("jobs/" + id)).doesNotExist();
        assertThat(DATA_DIR.resolve("exports/" + id)).as("the model's ONNX export, written when it succeeded").doesNotExist();
        assertThat(status(() -> http.get().uri("/jobs/" + id).retrieve().body(String.class))).isEqualTo(HttpStatus.NOT_FOUND);
    }

    private JsonNode post(String path, String body) {
        return api.post(path, body);
    }

    private JsonNode await(String id, Predicate<JsonNode> condition) {
        return api.awaitJob(id, Duration.ofMinutes(3), condition);
    }

    private HttpResponse<String> postWithKey(String key, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobs"))
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .header("Authorization", "Bearer " + TestApiKeys.ADMIN)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postWithKeyUnchecked(String key, String body) {
        try {
            return postWithKey(key, body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpStatus status(Runnable call) {
        try {
            call.run();
            return HttpStatus.OK;
        } catch (HttpClientErrorException e) {
            return HttpStatus.valueOf(e.getStatusCode().value());
        }
    }
}
