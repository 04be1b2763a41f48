package dev.cnnensemble.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The Helm chart, linted and rendered by a real Helm (3.16, bundled by helm-java), and checked on what it renders. */
class HelmChartTest {

    private static final Path CHART = Path.of("helm", "cnn-ensemble-service");

    @Test
    void lintsCleanInStrictMode() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
    }

    @Test
    void defaultsRunOneNonRootPodWithItsVolumeProbesAndGracefulShutdown() {
        Map<String, Map<String, Object>> resources = render(Map.of());

        assertThat(resources).containsKeys("Deployment", "Service", "PersistentVolumeClaim", "ConfigMap")
                .doesNotContainKeys("Ingress", "ServiceMonitor", "Secret");
        Map<String, Object> pod = at(resources.get("Deployment"), "spec", "template", "spec");
        Map<String, Object> container = container(resources);

        assertThat(at(resources.get("Deployment"), "spec", "strategy")).containsEntry("type", "Recreate");
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
                .doesNotContainKeys("SPRING_DATASOURCE_URL", "NVIDIA_VISIBLE_DEVICES");
        assertThat((String) at(resources.get("ConfigMap"), "data").get("application.yaml"))
                .contains("cnn:", "queueCapacity: 32", "maxBatchSize: 256", "autoPromote: false");
    }

    @Test
    void gpuPostgresAndIngressRenderTheirPieces() {
        Map<String, Map<String, Object>> resources = render(Map.of("gpu.enabled", "true", "gpu.count", "2",
                "postgres.enabled", "true", "postgres.url", "jdbc:postgresql://db:5432/cnn", "postgres.password", "s3cret",
                "ingress.enabled", "true", "ingress.host", "cnn.test", "metrics.serviceMonitor.enabled", "true"));
        Map<String, Object> container = container(resources);

        assertThat(at(container, "resources", "limits")).containsEntry("nvidia.com/gpu", 2).containsEntry("memory", "6Gi");
        assertThat(container.get("image")).isEqualTo("cnn-ensemble-service:0.1.0-gpu");
        assertThat(list(at(resources.get("Deployment"), "spec", "template", "spec"), "tolerations"))
                .extracting(t -> t.get("key")).contains("nvidia.com/gpu");
        assertThat(env(container)).containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://db:5432/cnn")
                .containsEntry("NVIDIA_VISIBLE_DEVICES", "all");
        assertThat(resources.get("Secret")).isNotNull();
        assertThat(at(resources.get("Ingress"), "spec")).extracting(s -> ((List<?>) s.get("rules")).size()).isEqualTo(1);
        assertThat(list(at(resources.get("ServiceMonitor"), "spec"), "endpoints").get(0)).containsEntry("path", "/actuator/prometheus");
    }

    @Test
    void refusesSeveralReplicasOnTheEmbeddedDatabaseAndUnknownValues() {
        assertThatThrownBy(() -> render(Map.of("replicaCount", "2"))).hasMessageContaining("needs postgres.enabled");
        assertThatThrownBy(() -> render(Map.of("config.jobs.queueCapacty", "3"))).hasMessageContaining("queueCapacty");
    }

    private static Map<String, Map<String, Object>> render(Map<String, String> values) {
        TemplateCommand template = new Helm(CHART).template().withName("cnn");
        values.forEach(template::set);
        String yaml = template.call();
        Map<String, Map<String, Object>> byKind = new java.util.HashMap<>();
        for (Object document : new Yaml().loadAll(yaml)) {
            if (document instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> resource = (Map<String, Object>) map;
                byKind.put((String) resource.get("kind"), resource);
            }
        }
        return byKind;
    }

    private static Map<String, Object> container(Map<String, Map<String, Object>> resources) {
        return list(at(resources.get("Deployment"), "spec", "template", "spec"), "containers").get(0);
    }

    private static Map<String, Object> env(Map<String, Object> container) {
        Map<String, Object> env = new java.util.HashMap<>();
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
