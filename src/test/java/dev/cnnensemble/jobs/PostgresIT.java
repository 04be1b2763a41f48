package dev.cnnensemble.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cnnensemble.dataset.RealData;
import dev.cnnensemble.dataset.RequiresMnist;
import dev.cnnensemble.support.ServiceProcess;
import dev.cnnensemble.support.TestPostgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * The packaged service on PostgreSQL through configuration alone; the model it trains is served by
 * ONNX Runtime, then, after a restart, by DL4J, with the same answer. {@code bin/test} starts a local
 * PostgreSQL and passes a fresh database in CNN_TEST_POSTGRES_URL, _USER and _PASSWORD; skipped otherwise.
 */
@RequiresMnist
class PostgresIT {

    /** MNIST's first test digit, as numbers. */
    private static final String DIGIT = IntStream.range(0, 784).mapToObj(p -> String.valueOf(Byte.toUnsignedInt(RealData.mnist().test().pixels()[p])))
            .collect(Collectors.joining(",", "{\"images\": [[", "]]}"));

    @Test
    void jobsAndTheirMetricsLiveInPostgresAndSurviveARestart() throws SQLException {
        TestPostgres postgres = TestPostgres.require("CNN_TEST_POSTGRES_URL");
        var dataDir = RealData.freshDataDir();
        String[] config = postgres.serviceArgs();
        String id;
        JsonNode onnxRuntime;
        try (ServiceProcess first = ServiceProcess.start(dataDir, List.of("-Xmx1g"), config)) {
            id = first.api().post("/jobs", """
                    {"name": "on-postgres", "ensembleSize": 2, "epochs": 1, "trainLimit": 1000, "testLimit": 200}""").get("id").asString();
            first.api().awaitJob(id, Duration.ofMinutes(2), job -> job.get("state").asString().equals("SUCCEEDED"));
            onnxRuntime = first.api().post("/predict", DIGIT);
            first.terminate(Duration.ofSeconds(60));
        }

        try (Connection db = DriverManager.getConnection(postgres.url(), postgres.user(), postgres.password())) {
            assertThat(single(db, "SELECT state FROM job_record WHERE id = '" + id + "'")).isEqualTo("SUCCEEDED");
            assertThat(single(db, "SELECT COUNT(*) FROM epoch_record WHERE job_id = '" + id + "'")).isEqualTo("3");
            assertThat(single(db, "SELECT MAX(version) FROM flyway_schema_history")).isEqualTo("6");
            assertThat(single(db, "SELECT dataset FROM job_record WHERE id = '" + id + "'")).isEqualTo("mnist");
            assertThat(single(db, "SELECT COUNT(*) FROM member_task WHERE job_id = '" + id + "' AND state = 'DONE'")).isEqualTo("2");
            assertThat(single(db, "SELECT job_id FROM default_model")).as("the first model is the default").isEqualTo(id);
        }

        // The same model served by the other engine: DL4J on the checkpoints, where ONNX Runtime ran its export.
        String[] withDl4j = Stream.concat(Stream.of(config), Stream.of("--cnn.inference.engine=dl4j")).toArray(String[]::new);
        try (ServiceProcess second = ServiceProcess.start(dataDir, List.of("-Xmx1g"), withDl4j)) {
            JsonNode job = second.api().get("/jobs/" + id);
            assertThat(job.get("state").asString()).isEqualTo("SUCCEEDED");
            assertThat(job.at("/history/0/members")).hasSize(2);
            JsonNode dl4j = second.api().post("/predict", DIGIT);
            assertThat(dl4j.at("/model/version").asString()).isEqualTo(onnxRuntime.at("/model/version").asString());
            assertThat(dl4j.at("/predictions/0/label").asInt()).isEqualTo(onnxRuntime.at("/predictions/0/label").asInt());
            for (int c = 0; c < 10; c++) {
                assertThat(dl4j.at("/predictions/0/logits/" + c).asDouble()).as("logit %d", c)
                        .isCloseTo(onnxRuntime.at("/predictions/0/logits/" + c).asDouble(), within(1e-4));
            }
            second.terminate(Duration.ofSeconds(60));
        }
    }

    private static String single(Connection db, String sql) throws SQLException {
        try (ResultSet rows = db.createStatement().executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }
}
