package dev.cnnensemble.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cnnensemble.dataset.IdxWriter;
import dev.cnnensemble.dataset.LabeledImages;
import dev.cnnensemble.dataset.RealData;
import dev.cnnensemble.dataset.RequiresMnist;
import dev.cnnensemble.support.Multipart;
import dev.cnnensemble.support.ServiceProcess;
import dev.cnnensemble.support.TestPostgres;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import tools.jackson.databind.JsonNode;

/**
 * Two replicas of the packaged service on one real PostgreSQL and one data directory, one training
 * worker each, on one OpenMP thread per step so that their figures can be compared exactly. Runs
 * when {@code bin/test} has started PostgreSQL (CNN_TEST_POSTGRES_CLUSTER_URL, a database of its own);
 * skipped otherwise.
 */
@RequiresMnist
class ClusterIT {

    private static final List<String> JVM = List.of("-Xmx1g");
    /**
     * 60 steps per member epoch: enough that the kill lands mid-epoch, whatever the machine's speed.
     */
    private static final String PAIR = """
            {"name": "%s", "ensembleSize": 2, "epochs": 2, "trainLimit": 6000, "testLimit": 500}""";

    private final List<ServiceProcess> replicas = new ArrayList<>();
    private ServiceProcess a;
    private ServiceProcess b;

    @BeforeEach
    void twoReplicas() {
        TestPostgres db = TestPostgres.require("CNN_TEST_POSTGRES_CLUSTER_URL");
        Path dataDir = RealData.freshDataDir();
        List<CompletableFuture<ServiceProcess>> starting = List.of("replica-a", "replica-b").stream()
                .map(name -> CompletableFuture.supplyAsync(() -> ServiceProcess.start(dataDir, JVM, db.serviceArgs(
                        "--cnn.jobs.workers=1", "--cnn.jobs.threads-per-worker=1", "--cnn.jobs.replica-name=" + name))))
                .toList();
        starting.forEach(s -> replicas.add(s.join()));
        a = replicas.get(0);
        b = replicas.get(1);
    }

    @AfterEach
    void stop() {
        replicas.forEach(ServiceProcess::close);
    }

    @Test
    void aClusterSharesTheWorkAnswersForAnyJobAndFailsOverAKilledReplica() throws Exception {
        assertThat(a.api().get("/workers").findValuesAsString("replica")).contains("replica-a", "replica-b");

        // A dataset uploaded through one replica is seen by the other, and trained on by both.
        LabeledImages digits = RealData.mnist().train().first(1000);
        Multipart upload = new Multipart().field("name", "shared").field("classNames", "a,b,c,d,e,f,g,h,i,j")
                .file("trainImages", "i", "application/octet-stream", IdxWriter.images(digits))
                .file("trainLabels", "l", "application/octet-stream", IdxWriter.labels(digits));
        int uploaded = a.api().http().post().uri("/datasets").contentType(MediaType.parseMediaType(upload.contentType())).body(upload.bytes())
                .exchange((request, response) -> response.getStatusCode().value());
        assertThat(uploaded).isEqualTo(201);
        JsonNode seen = b.api().get("/datasets/shared");
        assertThat(seen.get("onDisk").asBoolean()).isTrue();
        assertThat(seen.get("files")).isEqualTo(a.api().get("/datasets/shared").get("files"));
        String onShared = b.api().post("/jobs", """
                {"name": "shared", "dataset": "shared", "ensembleSize": 2, "epochs": 3}""").get("id").asString();
        // One worker per replica: two members running at once run on both.
        b.api().awaitJob(onShared, Duration.ofMinutes(2), job -> job.get("members").findValuesAsString("state").stream().allMatch("RUNNING"::equals));
        b.api().awaitJob(onShared, Duration.ofMinutes(2), job -> job.get("state").asString().equals("SUCCEEDED"));
        int deletion = a.api().http().delete().uri("/datasets/shared").exchange((request, response) -> response.getStatusCode().value());
        assertThat(deletion).as("the job's model uses it").isEqualTo(409);

        // A member running on one replica, followed and cancelled through the other.
        String single = a.api().post("/jobs", """
                {"name": "followed", "epochs": 5, "trainLimit": 6000, "testLimit": 300}""").get("id").asString();
        JsonNode running = a.api().awaitJob(single, Duration.ofMinutes(2), job -> job.at("/members/0/state").asString().equals("RUNNING"));
        ServiceProcess trainer = running.at("/members/0/worker").asString().startsWith("replica-a") ? a : b;
        ServiceProcess other = trainer == a ? b : a;
        CompletableFuture<List<String>> events = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other.port() + "/jobs/" + single + "/events")).build(),
                HttpResponse.BodyHandlers.ofLines()).thenApply(response -> response.body().toList());
        other.api().awaitJob(single, Duration.ofMinutes(2), job -> job.at("/members/0/epoch").asInt() == 2 && job.at("/members/0/step").asInt() >= 3);
        other.api().post("/jobs/" + single + "/cancel", "");
        JsonNode cancelled = other.api().awaitJob(single, Duration.ofMinutes(1), job -> job.get("state").asString().equals("CANCELLED"));
        assertThat(cancelled.at("/members/0/state").asString()).isEqualTo("CANCELLED");
        assertThat(cancelled.get("checkpoints").findValuesAsString("file")).as("the member stopped with a checkpoint")
                .anyMatch(f -> f.matches("epoch-1-step-\\d+\\.zip"));
        List<String> lines = events.get(30, TimeUnit.SECONDS);
        assertThat(lines).as("the stream on the replica that did not train it").contains("event:progress", "event:epoch");
        assertThat(lines.stream().filter(l -> l.startsWith("data:")).reduce((x, y) -> y).orElseThrow()).contains("\"CANCELLED\"");

        // Two members side by side, one per replica; the replica training member 1 is killed mid-epoch.
        String pair = a.api().post("/jobs", PAIR.formatted("failover")).get("id").asString();
        JsonNode both = a.api().awaitJob(pair, Duration.ofMinutes(2), job -> job.get("members").findValuesAsString("state").stream()
                .allMatch("RUNNING"::equals));
        assertThat(both.get("members").findValuesAsString("worker")).anyMatch(w -> w.startsWith("replica-a"))
                .anyMatch(w -> w.startsWith("replica-b"));
        int victim = both.at("/members/0/worker").asString().startsWith("replica-b") ? 0 : 1;
        a.api().awaitJob(pair, Duration.ofMinutes(2), job -> job.at("/members/" + victim + "/epoch").asInt() == 2
                && job.at("/members/" + victim + "/step").asInt() >= 5);
        b.kill();
        long killed = System.nanoTime();
        a.api().awaitJob(pair, Duration.ofSeconds(90), job -> job.at("/members/" + victim + "/worker").asString().startsWith("replica-a"));
        System.out.printf("ClusterIT: failover took %.1f s from kill -9 until the member ran again on the other replica%n",
                (System.nanoTime() - killed) / 1e9);
        JsonNode done = a.api().awaitJob(pair, Duration.ofMinutes(3), job -> job.get("state").asString().equals("SUCCEEDED"));
        assertThat(done.at("/members/" + victim + "/attempt").asInt()).isEqualTo(2);
        assertThat(done.at("/members/" + victim + "/resumedAtEpoch").asInt()).as("epoch 1 is not trained again").isEqualTo(2);
        assertThat(done.at("/members/" + victim + "/resumedAtStep").asLong()).as("a kill leaves the epoch-1 checkpoint").isEqualTo(60);

        // The same job, uninterrupted, on the surviving replica alone: the same figures.
        String reference = a.api().post("/jobs", PAIR.formatted("reference")).get("id").asString();
        JsonNode straight = a.api().awaitJob(reference, Duration.ofMinutes(3), job -> job.get("state").asString().equals("SUCCEEDED"));
        assertSameFigures(done.get("history"), straight.get("history"));
        a.terminate(Duration.ofSeconds(60));
    }

    private static void assertSameFigures(JsonNode actual, JsonNode expected) {
        assertThat(actual).hasSize(2);
        assertThat(expected).hasSize(2);
        for (int e = 0; e < 2; e++) {
            assertThat(actual.at("/" + e + "/ensemble/testAccuracy").asDouble()).isEqualTo(expected.at("/" + e + "/ensemble/testAccuracy").asDouble());
            for (int m = 0; m < 2; m++) {
                String member = "/" + e + "/members/" + m;
                assertThat(actual.at(member + "/testAccuracy").asDouble()).isEqualTo(expected.at(member + "/testAccuracy").asDouble());
                assertThat(actual.at(member + "/trainAccuracy").asDouble()).isEqualTo(expected.at(member + "/trainAccuracy").asDouble());
                assertThat(actual.at(member + "/loss").asDouble()).isCloseTo(expected.at(member + "/loss").asDouble(), within(1e-4));
            }
        }
    }
}
