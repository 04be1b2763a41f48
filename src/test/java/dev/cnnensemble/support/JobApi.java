package dev.cnnensemble.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The jobs API as tests drive it over real HTTP: JSON in, JSON trees out, and polling. */
public final class JobApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RestClient http;

    public JobApi(RestClient http) {
        this.http = http;
    }

    /** As the suite's admin ({@link TestApiKeys#ADMIN}). */
    public static JobApi at(int port) {
        return at(port, TestApiKeys.ADMIN);
    }

    /** With this bearer token on every request; none when it is null. */
    public static JobApi at(int port, @Nullable String key) {
        RestClient.Builder http = RestClient.builder().baseUrl("http://127.0.0.1:" + port);
        return new JobApi((key == null ? http : http.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + key)).build());
    }

    public RestClient http() {
        return http;
    }

    public JsonNode post(String path, String body) {
        return JSON.readTree(http.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().body(String.class));
    }

    public JsonNode get(String path) {
        return JSON.readTree(http.get().uri(path).retrieve().body(String.class));
    }

    /** Polls a job until the condition holds; fails as soon as it FAILED, or after the timeout. */
    public JsonNode awaitJob(String id, Duration timeout, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode job = get("/jobs/" + id);
            if (condition.test(job)) {
                return job;
            }
            assertThat(job.get("state").asString()).as("job %s failed: %s", id, job.get("error")).isNotEqualTo("FAILED");
            assertThat(System.nanoTime()).as("waiting for job %s: %s", id, job).isLessThan(deadline);
            pause(200);
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
