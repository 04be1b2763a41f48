package dev.cnnensemble.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Compose files, read as Compose reads them (no Docker engine runs here): the volume, the health
 * check, the grace period, the GPU reservation and the PostgreSQL wiring, and their agreement with
 * the Dockerfile.
 */
class ComposeFilesTest {

    @Test
    @SuppressWarnings("unchecked")
    void theServiceKeepsItsStateOnANamedVolumeAndStopsGracefully() throws IOException {
        Map<String, Object> compose = load("docker-compose.yml");
        Map<String, Object> cnn = service(compose, "cnn");

        assertThat((List<Object>) cnn.get("volumes")).contains("cnn-data:/data");
        assertThat(map(compose, "volumes")).containsKey("cnn-data");
        assertThat((List<Object>) cnn.get("ports")).contains("${CNN_PORT:-8080}:8080");
        assertThat((List<Object>) map(cnn, "healthcheck").get("test")).contains("http://localhost:8080/actuator/health/readiness");
        assertThat(Duration.parse("PT" + ((String) cnn.get("stop_grace_period")).toUpperCase()))
                .as("longer than Spring's 60 s shutdown phase, in which a job writes its checkpoint").isGreaterThan(Duration.ofSeconds(60));
    }

    @Test
    void theGpuOverrideBuildsTheGpuProfileAndReservesNvidiaDevices() throws IOException {
        Map<String, Object> cnn = service(load("docker-compose.gpu.yml"), "cnn");

        assertThat(map(map(cnn, "build"), "args")).containsEntry("MAVEN_PROFILES", "gpu");
        assertThat(Files.readString(Path.of("Dockerfile"))).contains("ARG MAVEN_PROFILES");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> devices = (List<Map<String, Object>>) map(map(map(cnn, "deploy"), "resources"), "reservations").get("devices");
        assertThat(devices.get(0)).containsEntry("driver", "nvidia").containsEntry("capabilities", List.of("gpu"));
    }

    @Test
    void thePostgresOverridePointsTheServiceAtItsOwnDatabase() throws IOException {
        Map<String, Object> compose = load("docker-compose.postgres.yml");
        Map<String, Object> cnn = service(compose, "cnn");
        Map<String, Object> postgres = service(compose, "postgres");

        assertThat(map(cnn, "environment")).containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://postgres:5432/cnn");
        assertThat(map(postgres, "environment")).containsEntry("POSTGRES_DB", "cnn");
        assertThat(map(map(cnn, "depends_on"), "postgres")).containsEntry("condition", "service_healthy");
    }

    private static Map<String, Object> load(String file) throws IOException {
        return new Yaml().load(Files.readString(Path.of(file)));
    }

    private static Map<String, Object> service(Map<String, Object> compose, String name) {
        return map(map(compose, "services"), name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> node, String key) {
        assertThat(node).containsKey(key);
        return (Map<String, Object>) node.get(key);
    }
}
