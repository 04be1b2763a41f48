package dev.cnnensemble.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.web.client.RestClientException;

/** The packaged service in its own JVM, for tests that kill, stop and restart it. */
public final class ServiceProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "cnn-ensemble-service.jar").toAbsolutePath();

    private final Process process;
    private final int port;
    private final Path log;
    private JobApi api;

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.api = JobApi.at(port, null);
        this.log = log;
    }

    public int port() {
        return port;
    }

    /** Starts {@code java -jar} with the given JVM flags and arguments and waits until it is ready. */
    public static ServiceProcess start(Path dataDir, List<String> jvmFlags, String... args) {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", JAR.toString(), "--server.port=" + port, "--cnn.data-dir=" + dataDir,
                "--cnn.datasets.preload=", "--cnn.datasets.mirrors-enabled=false"));
        command.addAll(List.of(args));
        return launch(new ProcessBuilder(command), port, dataDir, dataDir.resolve("service-" + System.nanoTime() + ".log"));
    }

    /**
     * Starts a prepared command that serves on {@code port}, logging to {@code log}, and waits until it
     * is ready. Its API then authenticates with the admin key that the service generated into its data directory.
     */
    public static ServiceProcess launch(ProcessBuilder builder, int port, Path dataDir, Path log) {
        try {
            Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            ServiceProcess service = new ServiceProcess(process, port, log);
            service.awaitReady();
            service.api = JobApi.at(port, Files.readString(dataDir.resolve("api-key")).trim());
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path log() {
        return log;
    }

    public JobApi api() {
        return api;
    }

    /** SIGKILL: no shutdown hook, no last checkpoint. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /** SIGTERM: a graceful shutdown, which ends as the JVM's own on SIGTERM (143) or with 0, never in a crash. */
    public void terminate(Duration timeout) {
        process.destroy();
        assertThat(waitFor(timeout)).as("the exit code after SIGTERM; the end of %s:%n%s", log, logTail()).isIn(0, 143);
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
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
                if (api.http().get().uri("/actuator/health/readiness").retrieve().body(String.class).contains("\"UP\"")) {
                    return;
                }
            } catch (RestClientException notYet) {
                // still starting
            }
            JobApi.pause(250);
        }
        throw new AssertionError("service not ready within 120 s; see " + log);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
