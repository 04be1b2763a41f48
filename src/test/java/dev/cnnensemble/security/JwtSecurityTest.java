package dev.cnnensemble.security;

import static dev.cnnensemble.security.SecurityTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * OAuth2 instead of keys, by configuration alone: JWTs signed by an identity provider whose key pair
 * the test generates, roles from the scope claim; reads and predictions closed; one allowed origin.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "cnn.datasets.preload=", "cnn.datasets.mirrors-enabled=false", "cnn.data-dir=./target/jwt-test-data",
        "cnn.security.open-reads=false", "cnn.security.open-predict=false",
        "cnn.security.cors.allowed-origins=https://notebooks.example.org"})
@ExtendWith(OutputCaptureExtension.class)
class JwtSecurityTest {

    static final KeyPair ISSUER = rsaKeyPair();
    static final KeyPair IMPOSTOR = rsaKeyPair();
    static final String MISSING_JOB = "/jobs/" + UUID.randomUUID() + "/cancel";

    @DynamicPropertySource
    static void issuersPublicKey(DynamicPropertyRegistry registry) throws IOException {
        Path pem = Files.createTempFile("issuer-", ".pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(ISSUER.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> "file:" + pem);
    }

    @Value("${local.server.port}")
    int port;

    Requests requests;

    @BeforeEach
    void connect() {
        requests = new Requests(port);
    }

    @Test
    void theScopeClaimGivesTheRoles() {
        String predictor = token(ISSUER, "bob@example.org", "openid predict", Duration.ofMinutes(5));
        String admin = token(ISSUER, "alice@example.org", "openid admin", Duration.ofMinutes(5));

        assertProblem(requests.send("POST", MISSING_JOB, predictor, null), 403);
        assertThat(requests.send("POST", MISSING_JOB, admin, null).statusCode()).isEqualTo(404);
    }

    @Test
    void anExpiredOrForgedTokenIsRefused() {
        assertProblem(requests.send("POST", MISSING_JOB, token(ISSUER, "alice@example.org", "admin", Duration.ofMinutes(-5)), null), 401);
        assertProblem(requests.send("POST", MISSING_JOB, token(IMPOSTOR, "alice@example.org", "admin", Duration.ofMinutes(5)), null), 401);
    }

    @Test
    void closedReadsAndPredictionsNeedAToken() {
        String predictor = token(ISSUER, "bob@example.org", "predict", Duration.ofMinutes(5));
        String nobody = token(ISSUER, "carol@example.org", "openid", Duration.ofMinutes(5));
        String digit = "{\"images\": [[" + "0,".repeat(783) + "0]]}";

        assertProblem(requests.send("GET", "/jobs", null, null), 401);
        assertThat(requests.send("GET", "/jobs", nobody, null).statusCode()).isEqualTo(200);
        assertProblem(requests.send("POST", "/predict", null, digit), 401);
        assertProblem(requests.send("POST", "/predict", nobody, digit), 403);
        assertThat(requests.send("POST", "/predict", predictor, digit).statusCode()).isNotIn(401, 403);
        // The Open Inference Protocol's inference is a prediction too: the role predict, not admin.
        String tensor = "{\"inputs\": [{\"name\": \"images\", \"shape\": [1, 784], \"datatype\": \"UINT8\", \"data\": [" + "0,".repeat(783) + "0]}]}";
        assertProblem(requests.send("POST", "/v2/models/default/infer", null, tensor), 401);
        assertThat(requests.send("POST", "/v2/models/default/infer", predictor, tensor).statusCode()).isNotIn(401, 403);
        assertThat(requests.send("GET", "/actuator/health/readiness", null, null).statusCode()).isEqualTo(200);
        assertThat(requests.send("GET", "/v3/api-docs", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void noKeyFileIsGeneratedWhenTokensAreConfigured() {
        assertThat(Path.of("target", "jwt-test-data", ApiKeys.FILE_NAME)).doesNotExist();
    }

    @Test
    void theAuditLogNamesTheTokensSubject(CapturedOutput output) {
        requests.send("POST", MISSING_JOB, token(ISSUER, "alice@example.org", "admin", Duration.ofMinutes(5)), null);

        assertThat(output.getOut()).contains("alice@example.org POST " + MISSING_JOB + " -> 404");
    }

    @Test
    void theConfiguredOriginMayCallAndNoOther() {
        Map<String, String> preflight = Map.of("Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization");

        HttpResponse<String> allowed = requests.send("OPTIONS", "/jobs", null, null, withOrigin(preflight, "https://notebooks.example.org"));
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://notebooks.example.org");

        assertProblem(requests.send("OPTIONS", "/jobs", null, null, withOrigin(preflight, "https://elsewhere.example")), 403);
    }

    @Test
    void swaggerMarksTheClosedReadsAndPredictionsAsProtected() {
        var api = SecurityTest.json(requests.send("GET", "/v3/api-docs", null, null));

        assertThat(api.at("/paths/~1jobs/get/security/0/bearer").isArray()).isTrue();
        assertThat(api.at("/paths/~1predict/post/security/0/bearer").isArray()).isTrue();
    }

    private static Map<String, String> withOrigin(Map<String, String> headers, String origin) {
        var all = new HashMap<>(headers);
        all.put("Origin", origin);
        return all;
    }

    static String token(KeyPair signer, String subject, String scope, Duration validFor) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject).claim("scope", scope)
                .issueTime(Date.from(now.minusSeconds(600))).expirationTime(Date.from(now.plus(validFor))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
        try {
            jwt.sign(new RSASSASigner(signer.getPrivate()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
