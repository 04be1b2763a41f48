package dev.cnnensemble.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnensemble.support.JobApi;
import dev.cnnensemble.support.ServiceOnRandomPort;
import dev.cnnensemble.support.TestApiKeys;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may do what, over the whole service with its default settings and two configured keys: every
 * change needs the role admin, reads and predictions are open, and each refusal is a problem detail.
 */
@ServiceOnRandomPort
@ExtendWith(OutputCaptureExtension.class)
class SecurityTest {

    static final String MISSING = UUID.randomUUID().toString();
    static final String QUICK_JOB = """
            {"name": "security-test", "ensembleSize": 1, "epochs": 1, "trainLimit": 200, "testLimit": 100}""";

    @Value("${local.server.port}")
    int port;

    Requests requests;

    @BeforeEach
    void connect() {
        requests = new Requests(port);
    }

    /** Every mutating endpoint, with a body, and what the controller answers an admin (so the request got past security). */
    static Stream<Arguments> changes() {
        return Stream.of(
                Arguments.of("POST", "/jobs", "{\"epochs\": 0}", 400),
                Arguments.of("POST", "/jobs/" + MISSING + "/cancel", null, 404),
                Arguments.of("POST", "/jobs/" + MISSING + "/resume", null, 404),
                Arguments.of("DELETE", "/jobs/" + MISSING, null, 404),
                Arguments.of("PUT", "/models/default", "{\"jobId\": \"" + MISSING + "\"}", 404),
                Arguments.of("POST", "/datasets", null, 415),
                Arguments.of("DELETE", "/datasets/nowhere", null, 404));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("changes")
    void everyChangeNeedsAnAdminKey(String method, String path, String body, int adminStatus) {
        HttpResponse<String> anonymous = requests.send(method, path, null, body);
        assertProblem(anonymous, 401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"cnn-ensemble\"");

        HttpResponse<String> unknownKey = requests.send(method, path, "not-a-key-of-this-service", body);
        assertProblem(unknownKey, 401);
        assertThat(unknownKey.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");

        HttpResponse<String> predictKey = requests.send(method, path, TestApiKeys.PREDICT, body);
        assertProblem(predictKey, 403);
        assertThat(predictKey.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"insufficient_scope\"");
        assertThat(predictKey.body()).contains("suite-predict", "roles: predict");

        HttpResponse<String> admin = requests.send(method, path, TestApiKeys.ADMIN, body);
        assertThat(admin.statusCode()).as(admin.body()).isEqualTo(adminStatus);
    }

    @Test
    void anAdminKeySubmitsCancelsAndDeletesAJob() {
        HttpResponse<String> submitted = requests.send("POST", "/jobs", TestApiKeys.ADMIN, QUICK_JOB);
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        String id = json(submitted).get("id").asString();

        assertThat(requests.send("POST", "/jobs/" + id + "/cancel", TestApiKeys.ADMIN, null).statusCode()).isEqualTo(202);
        JobApi.at(port).awaitJob(id, Duration.ofMinutes(2), job -> Set.of("CANCELLED", "SUCCEEDED").contains(job.get("state").asString()));
        assertThat(requests.send("DELETE", "/jobs/" + id, TestApiKeys.ADMIN, null).statusCode()).isEqualTo(204);
    }

    @Test
    void readsAndPredictionsAreOpenByDefault() {
        assertThat(requests.send("GET", "/jobs", null, null).statusCode()).isEqualTo(200);
        assertThat(requests.send("GET", "/actuator/prometheus", null, null).statusCode()).isEqualTo(200);
        HttpResponse<String> predict = requests.send("POST", "/predict", null, "{\"images\": [[" + "0,".repeat(783) + "0]]}");
        assertThat(predict.statusCode()).as(predict.body()).isNotIn(401, 403);
        HttpResponse<String> infer = requests.send("POST", "/v2/models/default/infer", null,
                "{\"inputs\": [{\"name\": \"images\", \"shape\": [1, 784], \"datatype\": \"UINT8\", \"data\": [" + "0,".repeat(783) + "0]}]}");
        assertThat(infer.statusCode()).as(infer.body()).isNotIn(401, 403);
    }

    @Test
    void theAuditLogSaysWhoChangedWhatAndNeverAKey(CapturedOutput output) {
        requests.send("PUT", "/models/default", TestApiKeys.ADMIN, "{\"jobId\": \"" + MISSING + "\"}");
        requests.send("DELETE", "/jobs/" + MISSING, null, null);
        requests.send("GET", "/jobs", TestApiKeys.ADMIN, null);

        assertThat(output.getOut()).contains("suite-admin PUT /models/default -> 404",
                "anonymous DELETE /jobs/" + MISSING + " -> 401 (" + MISSING + ")");
        assertThat(output.getOut()).doesNotContain("GET /jobs ->", TestApiKeys.ADMIN, TestApiKeys.PREDICT);
    }

    @Test
    void swaggerDeclaresTheBearerSchemeOnTheProtectedOperationsOnly() {
        JsonNode api = json(requests.send("GET", "/v3/api-docs", null, null));

        assertThat(api.at("/components/securitySchemes/bearer/scheme").asString()).isEqualTo("bearer");
        assertThat(api.at("/paths/~1jobs/post/security/0/bearer").isArray()).isTrue();
        assertThat(api.at("/paths/~1models~1default/put/security").isArray()).isTrue();
        assertThat(api.at("/paths/~1jobs/get/security").isMissingNode()).isTrue();
        assertThat(api.at("/paths/~1predict/post/security").isMissingNode()).isTrue();
    }

    @Test
    void pagesCarryTheSecurityHeaders() {
        HttpResponse<String> page = requests.send("GET", "/swagger-ui/index.html", null, null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'self'", "frame-ancestors 'none'");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }

    @Test
    void crossOriginCallsAreOffByDefault() {
        HttpResponse<String> preflight = requests.send("OPTIONS", "/jobs", null, null,
                Map.of("Origin", "https://elsewhere.example", "Access-Control-Request-Method", "POST"));

        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response).get("status").asInt()).isEqualTo(status);
    }

    static JsonNode json(HttpResponse<String> response) {
        return JsonMapper.builder().build().readTree(response.body());
    }
}
