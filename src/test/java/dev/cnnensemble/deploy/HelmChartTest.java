package dev.cnnensemble.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The Helm chart, linted and rendered by a real Helm (3.16, bundled by helm-java), and checked on what it renders. */
class HelmChartTest {

    @Test
    void lintsCleanInStrictMode() {
        LintResult lint = HelmCheck.lint();
        assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
    }

    @Test
    void defaultsRunOneNonRootPodWithItsVolumeProbesAndGracefulShutdown() {
        Map<String, List<Map<String, Object>>> resources = render(Map.of());

        assertThat(resources).containsKeys("Deployment", "Service", "PersistentVolumeClaim", "ConfigMap")
                .doesNotContainKeys("Ingress", "ServiceMonitor", "Secret", "HorizontalPodAutoscaler");
        assertThat(resources.get("Deployment")).hasSize(1);
        Map<String, Object> trainer = deployment(resources, "trainer");
        Map<String, Object> pod = at(trainer, "spec", "template", "spec");
        Map<String, Object> container = container(trainer);

        assertThat(at(trainer, "spec")).containsEntry("replicas", 1);
        assertThat(at(trainer, "spec", "strategy")).containsEntry("type", "Recreate");
        assertThat(pod).containsEntry("terminationGracePeriodSeconds", 90);
        assertThat(at(pod, "securityContext")).containsEntry("runAsNonRoot", true).containsEntry("runAsUser", 10001);
        assertThat(at(container, "securityContext")).containsEntry("allowPrivilegeEscalation", false)
                .containsEntry("readOnlyRootFilesystem", true);
        assertThat(list(container, "volumeMounts")).extracting(m -> m.get("mountPath")).containsExactly("/data", "/tmp", "/app/config");
        assertThat(at(container, "startupProbe", "httpGet")).containsEntry("path", "/actuator/health/liveness");
        assertThat(at(container, "livenessProbe", "httpGet")).containsEntry("path", "/actuator/health/liveness");
        assertThat(at(container, "readinessProbe", "httpGet")).containsEntry("path", "/actuator/health/readiness");
        assertThat(at(container, "lifecycle", "preStop", "exec")).containsEntry("command", List.of("sleep", "10"));
        assertThat(at(container, "resources", "limits")).doesNotContainKey("nvidia.com/gpu");
        assertThat(container.get("image")).isEqualTo("cnn-ensemble-service:0.1.0");
        assertThat(env(container)).containsEntry("CNN_DATA_DIR", "/data").containsKey("JDK_JAVA_OPTIONS")
                .containsEntry("CNN_JOBS_ENABLED", "true")
                .doesNotContainKeys("SPRING_DATASOURCE_URL", "NVIDIA_VISIBLE_DEVICES");
        assertThat((String) at(one(resources, "ConfigMap"), "data").get("application.yaml"))
                .contains("cnn:", "queueCapacity: 32", "maxBatchSize: 256", "autoPromote: false",
                        "workers: 0", "threadsPerWorker: 0", "heartbeat: 10s", "missedHeartbeats: 4", "pollInterval: 1s");
    }

    @Test
    void gpuPostgresAndIngressRenderTheirPieces() {
        Map<String, List<Map<String, Object>>> resources = render(Map.of("gpu.enabled", "true", "gpu.count", "2",
                "postgres.enabled", "true", "postgres.url", "jdbc:postgresql://db:5432/cnn", "postgres.password", "s3cret",
                "ingress.enabled", "true", "ingress.host", "cnn.test", "metrics.serviceMonitor.enabled", "true",
                "security.apiKeysSecret", "cnn-api-keys"));
        Map<String, Object> trainer = deployment(resources, "trainer");
        Map<String, Object> container = container(trainer);

        assertThat(at(container, "resources", "limits")).containsEntry("nvidia.com/gpu", 2).containsEntry("memory", "6Gi");
        assertThat(container.get("image")).isEqualTo("cnn-ensemble-service:0.1.0-gpu");
        assertThat(list(at(trainer, "spec", "template", "spec"), "tolerations"))
                .extracting(t -> t.get("key")).contains("nvidia.com/gpu");
        assertThat(env(container)).containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://db:5432/cnn")
                .containsEntry("NVIDIA_VISIBLE_DEVICES", "all")
                .containsEntry("CNN_SECURITY_API_KEYS", Map.of("secretKeyRef", Map.of("name", "cnn-api-keys", "key", "api-keys")));
        assertThat(one(resources, "Secret")).isNotNull();
        assertThat(at(one(resources, "Ingress"), "spec")).extracting(s -> ((List<?>) s.get("rules")).size()).isEqualTo(1);
        assertThat(list(at(one(resources, "ServiceMonitor"), "spec"), "endpoints").get(0)).containsEntry("path", "/actuator/prometheus");
        // One trainer on a volume that may be ReadWriteOnce: it steps down before its successor starts.
        assertThat(at(trainer, "spec", "strategy")).containsEntry("type", "RollingUpdate")
                .containsEntry("rollingUpdate", Map.of("maxSurge", 0, "maxUnavailable", 1));
    }

    @Test
    void trainersAndServersShareTheVolumeTheDatabaseAndTheService() {
        Map<String, List<Map<String, Object>>> resources = render(withPostgresAndSharedVolume(Map.of(
                "server.enabled", "true", "gpu.enabled", "true")));

        assertThat(resources.get("Deployment")).hasSize(2);
        assertThat(resources).doesNotContainKey("HorizontalPodAutoscaler");
        Map<String, Object> trainer = deployment(resources, "trainer");
        Map<String, Object> server = deployment(resources, "server");
        assertThat(at(trainer, "metadata").get("name")).isEqualTo("cnn-cnn-ensemble-service");
        assertThat(at(server, "metadata").get("name")).isEqualTo("cnn-cnn-ensemble-service-server");

        // Trainers run the jobs, on the GPU image; servers only predict, on the CPU image, without GPUs.
        assertThat(env(container(trainer))).containsEntry("CNN_JOBS_ENABLED", "true").containsEntry("NVIDIA_VISIBLE_DEVICES", "all")
                .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://db:5432/cnn");
        assertThat(at(container(trainer), "resources", "limits")).containsEntry("nvidia.com/gpu", 1);
        assertThat(container(trainer).get("image")).isEqualTo("cnn-ensemble-service:0.1.0-gpu");
        assertThat(env(container(server))).containsEntry("CNN_JOBS_ENABLED", "false").doesNotContainKey("NVIDIA_VISIBLE_DEVICES")
                .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://db:5432/cnn");
        assertThat(at(container(server), "resources", "limits")).containsEntry("memory", "4Gi").doesNotContainKey("nvidia.com/gpu");
        assertThat(at(container(server), "resources", "requests")).containsEntry("memory", "2Gi");
        assertThat(container(server).get("image")).isEqualTo("cnn-ensemble-service:0.1.0");
        assertThat(at(server, "spec", "template", "spec")).doesNotContainKey("tolerations");
        assertThat(at(server, "spec")).containsEntry("replicas", 2);

        // Both mount the one volume and roll without downtime.
        for (Map<String, Object> deployment : List.of(trainer, server)) {
            assertThat(list(at(deployment, "spec", "template", "spec"), "volumes").get(0))
                    .containsEntry("persistentVolumeClaim", Map.of("claimName", "cnn-cnn-ensemble-service-data"));
            assertThat(at(deployment, "spec", "strategy")).containsEntry("type", "RollingUpdate");
        }
        assertThat(at(one(resources, "PersistentVolumeClaim"), "spec")).containsEntry("accessModes", List.of("ReadWriteMany"));

        // Each Deployment selects its own role; the Service selects both.
        Map<String, Object> serviceSelector = at(one(resources, "Service"), "spec", "selector");
        for (String role : List.of("trainer", "server")) {
            Map<String, Object> deployment = deployment(resources, role);
            Map<String, Object> selector = at(deployment, "spec", "selector", "matchLabels");
            assertThat(selector).containsEntry("app.kubernetes.io/component", role);
            assertThat(at(deployment, "spec", "template", "metadata", "labels")).containsAllEntriesOf(selector)
                    .containsAllEntriesOf(serviceSelector);
            assertThat(at(deployment, "metadata", "labels")).containsEntry("app.kubernetes.io/component", role);
        }
        assertThat(serviceSelector).doesNotContainKey("app.kubernetes.io/component")
                .containsEntry("app.kubernetes.io/instance", "cnn");
    }

    @Test
    void autoscaledServersLeaveTheirReplicasToTheAutoscaler() {
        Map<String, List<Map<String, Object>>> resources = render(withPostgresAndSharedVolume(Map.of(
                "server.enabled", "true", "server.autoscaling.enabled", "true", "server.autoscaling.maxReplicas", "8")));
        Map<String, Object> hpa = one(resources, "HorizontalPodAutoscaler");

        assertThat(hpa.get("apiVersion")).isEqualTo("autoscaling/v2");
        assertThat(at(hpa, "spec", "scaleTargetRef")).containsEntry("kind", "Deployment")
                .containsEntry("name", at(deployment(resources, "server"), "metadata").get("name"));
        assertThat(at(hpa, "spec")).containsEntry("minReplicas", 2).containsEntry("maxReplicas", 8);
        assertThat(at(list(at(hpa, "spec"), "metrics").get(0), "resource")).containsEntry("name", "cpu")
                .containsEntry("target", Map.of("type", "Utilization", "averageUtilization", 70));
        assertThat(at(deployment(resources, "server"), "spec")).doesNotContainKey("replicas");
        assertThat(at(deployment(resources, "trainer"), "spec")).containsEntry("replicas", 1);
    }

    @Test
    void severalTrainersNeedAVolumeThatAllPodsMount() {
        Map<String, List<Map<String, Object>>> resources = render(withPostgresAndSharedVolume(Map.of("replicaCount", "3")));
        assertThat(at(deployment(resources, "trainer"), "spec")).containsEntry("replicas", 3);
        assertThat(resources.get("Deployment")).hasSize(1);

        Map<String, String> readWriteOnce = withPostgresAndSharedVolume(Map.of("replicaCount", "3",
                "persistence.accessModes[0]", "ReadWriteOnce"));
        assertThatThrownBy(() -> render(readWriteOnce))
                .hasMessageContaining("replicaCount above 1 needs persistence.accessModes: [ReadWriteMany]");
        Map<String, String> serversOnReadWriteOnce = withPostgresAndSharedVolume(Map.of("server.enabled", "true",
                "persistence.accessModes[0]", "ReadWriteOnce"));
        assertThatThrownBy(() -> render(serversOnReadWriteOnce))
                .hasMessageContaining("server.enabled needs persistence.accessModes: [ReadWriteMany]");
        // A claim of the user's own is trusted to be shareable.
        Map<String, String> existingClaim = withPostgresAndSharedVolume(Map.of("replicaCount", "3",
                "persistence.accessModes[0]", "ReadWriteOnce", "persistence.existingClaim", "shared"));
        assertThat(render(existingClaim)).doesNotContainKey("PersistentVolumeClaim");
    }

    @Test
    void refusesSeveralReplicasOnTheEmbeddedDatabaseAndUnknownValues() {
        assertThatThrownBy(() -> render(Map.of("replicaCount", "2"))).hasMessageContaining("needs postgres.enabled");
        assertThatThrownBy(() -> render(Map.of("server.enabled", "true", "persistence.accessModes[0]", "ReadWriteMany")))
                .hasMessageContaining("server.enabled needs postgres.enabled");
        assertThatThrownBy(() -> render(Map.of("server.replicas", "3"))).hasMessageContaining("replicas");
        assertThatThrownBy(() -> render(Map.of("config.jobs.queueCapacty", "3"))).hasMessageContaining("queueCapacty");
    }

    private static Map<String, String> withPostgresAndSharedVolume(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(Map.of("postgres.enabled", "true", "postgres.url", "jdbc:postgresql://db:5432/cnn",
                "postgres.password", "s3cret", "persistence.accessModes[0]", "ReadWriteMany"));
        all.putAll(values);
        return all;
    }

    /** The rendered resources by kind, in the order Helm renders them. */
    private static Map<String, List<Map<String, Object>>> render(Map<String, String> values) {
        String yaml = HelmCheck.template(values).call();
        Map<String, List<Map<String, Object>>> byKind = new HashMap<>();
        for (Object document : new Yaml().loadAll(yaml)) {
            if (document instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> resource = (Map<String, Object>) map;
                byKind.computeIfAbsent((String) resource.get("kind"), kind -> new ArrayList<>()).add(resource);
            }
        }
        return byKind;
    }

    /** The only resource of a kind. */
    private static Map<String, Object> one(Map<String, List<Map<String, Object>>> resources, String kind) {
        assertThat(resources.get(kind)).as(kind).hasSize(1);
        return resources.get(kind).get(0);
    }

    /** The Deployment of a role (trainer or server), told by its component label. */
    private static Map<String, Object> deployment(Map<String, List<Map<String, Object>>> resources, String role) {
        List<Map<String, Object>> ofRole = resources.get("Deployment").stream()
                .filter(d -> role.equals(at(d, "metadata", "labels").get("app.kubernetes.io/component"))).toList();
        assertThat(ofRole).as("%s Deployments", role).hasSize(1);
        return ofRole.get(0);
    }

    private static Map<String, Object> container(Map<String, Object> deployment) {
        return list(at(deployment, "spec", "template", "spec"), "containers").get(0);
    }

    private static Map<String, Object> env(Map<String, Object> container) {
        Map<String, Object> env = new HashMap<>();
        list(container, "env").forEach(e -> env.put((String) e.get("name"), e.containsKey("value") ? e.get("value") : e.get("valueFrom")));
        return env;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> node, String... path) {
        Map<String, Object> current = node;
        for (String key : path) {
            current = (Map<String, Object>) current.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> node, String key) {
        return (List<Map<String, Object>>) node.get(key);
    }
}
