package dev.cnnensemble.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The packaged service in its own JVM, for tests that kill, stop and restart it. */
public final class ServiceProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "cnn-ensemble-service.jar").toAbsolutePath();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final RestClient http;
    private final Path log;

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.http = RestClient.create("http://127.0.0.1:" + port);
        this.log = log;
    }

    /** Starts {@code java -jar} with the given JVM flags and arguments and waits until it is ready. */
    public static ServiceProcess start(Path dataDir, List<String> jvmFlags, String... args) {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", JAR.toString(), "--server.port=" + port, "--cnn.data-dir=" + dataDir,
                "--cnn.datasets.preload=", "--cnn.datasets.mirrors-enabled=false"));
        command.addAll(List.of(args));
        Path log = dataDir.resolve("service-" + System.nanoTime() + ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            ServiceProcess service = new ServiceProcess(process, port, log);
            service.awaitReady();
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RestClient http() {
        return http;
    }

    public Path log() {
        return log;
    }

    public JsonNode post(String path, String body) {
        return JSON.readTree(http.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().body(String.class));
    }

    public JsonNode get(String path) {
        return JSON.readTree(http.get().uri(path).retrieve().body(String.class));
    }

    /** Polls a job until the condition holds; fails on FAILED or after the timeout. */
    public JsonNode awaitJob(String id, Duration timeout, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode job = get("/jobs/" + id);
            if (condition.test(job)) {
                return job;
            }
            assertThat(job.get("state").asString()).as("job failed: %s", job.get("error")).isNotEqualTo("FAILED");
            assertThat(System.nanoTime()).as("waiting for job %s: %s", id, job).isLessThan(deadline);
            pause(200);
        }
    }

    /** SIGKILL: no shutdown hook, no last checkpoint. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /** SIGTERM: a graceful shutdown; returns the exit code. */
    public int terminate(Duration timeout) {
        process.destroy();
        return waitFor(timeout);
    }

    private int waitFor(Duration timeout) {
        try {
            assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)).as("process exits within %s", timeout).isTrue();
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("service exited during start-up; see %s", log).isTrue();
            try {
                if (http.get().uri("/actuator/health/readiness").retrieve().body(String.class).contains("\"UP\"")) {
                    return;
                }
            } catch (RestClientException notYet) {
                // still starting
            }
            pause(250);
        }
        throw new AssertionError("service not ready within 120 s; see " + log);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
