package dev.cnnensemble.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.HashSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keys: how one is written in configuration, how they are matched, and the generated key file. */
class ApiKeysTest {

    static final String SECRET = "0123456789abcdef-secret";

    final ApiKeyConverter converter = new ApiKeyConverter();

    @Test
    void aKeyIsWrittenNameRoleKeyAndItsKeyMayHoldColons() {
        assertThat(converter.convert(" ci:admin:" + SECRET + ":x ")).isEqualTo(new ApiKey("ci", Role.ADMIN, SECRET + ":x"));
        assertThat(converter.convert("grafana:Predict:" + SECRET).role()).isEqualTo(Role.PREDICT);
    }

    @Test
    void aMalformedKeySaysWhatIsWrong() {
        assertThatThrownBy(() -> converter.convert("ci:" + SECRET)).hasMessageContaining("name:role:key");
        assertThatThrownBy(() -> converter.convert("ci:root:" + SECRET)).hasMessageContaining("the roles are admin and predict");
        assertThatThrownBy(() -> converter.convert("ci:admin:short")).hasMessageContaining("at least 16");
        assertThatThrownBy(() -> converter.convert("c i:admin:" + SECRET)).hasMessageContaining("letters, digits");
    }

    @Test
    void aKeyNeverShowsItsSecret() {
        assertThat(new ApiKey("ci", Role.ADMIN, SECRET).toString()).contains("ci", "ADMIN").doesNotContain(SECRET);
    }

    @Test
    void findsTheKeyWhoseSecretItIs() {
        ApiKey ci = new ApiKey("ci", Role.ADMIN, SECRET);
        ApiKey grafana = new ApiKey("grafana", Role.PREDICT, SECRET + "-grafana");
        ApiKeys keys = new ApiKeys(List.of(ci, grafana));

        assertThat(keys.find(SECRET)).hasValue(ci);
        assertThat(keys.find(SECRET + "-grafana")).hasValue(grafana);
        assertThat(keys.find(SECRET.substring(1))).isEmpty();
        assertThat(keys.find("")).isEmpty();
    }

    @Test
    void namesAndSecretsAreDistinct() {
        assertThatThrownBy(() -> new ApiKeys(List.of(new ApiKey("ci", Role.ADMIN, SECRET), new ApiKey("ci", Role.PREDICT, SECRET + "2"))))
                .hasMessageContaining("two API keys are named 'ci'");
        assertThatThrownBy(() -> new ApiKeys(List.of(new ApiKey("ci", Role.ADMIN, SECRET), new ApiKey("other", Role.PREDICT, SECRET))))
                .hasMessageContaining("same secret");
    }

    @Test
    void theGeneratedKeyIsReadableByItsOwnerOnlyAndKeptAcrossStarts(@TempDir Path dataDir) throws Exception {
        Path file = dataDir.resolve(ApiKeys.FILE_NAME);

        String key = ApiKeys.readOrGenerate(file);

        assertThat(key).hasSizeGreaterThanOrEqualTo(40);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(ApiKeys.readOrGenerate(file)).isEqualTo(key);
        try (var leftovers = Files.list(dataDir)) {
            assertThat(leftovers).containsExactly(file);
        }
    }

    @Test
    void replicasStartingTogetherAgreeOnOneKey(@TempDir Path dataDir) throws Exception {
        Path file = dataDir.resolve(ApiKeys.FILE_NAME);
        int replicas = 8;
        ExecutorService threads = Executors.newFixedThreadPool(replicas);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<String>> keys = IntStream.range(0, replicas).mapToObj(i -> threads.submit(() -> {
                start.await();
                return ApiKeys.readOrGenerate(file);
            })).toList();
            start.countDown();
            Set<String> distinct = new HashSet<>();
            for (Future<String> key : keys) {
                distinct.add(key.get());
            }
            assertThat(distinct).containsExactly(Files.readString(file).trim());
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void withoutConfiguredKeysOrTokensOneAdminKeyIsGenerated(@TempDir Path dataDir) {
        SecurityProperties defaults = new SecurityProperties(true, true, true, List.of(),
                new SecurityProperties.Jwt("scope"), new SecurityProperties.Cors(List.of()));

        ApiKeys generated = ApiKeys.of(defaults, dataDir, false);

        assertThat(generated.find(ApiKeys.readOrGenerate(dataDir.resolve(ApiKeys.FILE_NAME))).map(ApiKey::role)).hasValue(Role.ADMIN);
        assertThat(ApiKeys.of(defaults, dataDir.resolve("with-jwt"), true).isEmpty()).isTrue();
        assertThat(dataDir.resolve("with-jwt")).doesNotExist();
    }
}
