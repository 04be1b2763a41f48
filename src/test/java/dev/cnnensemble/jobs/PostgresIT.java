package dev.cnnensemble.jobs;

import static org.assertj.core.api.Assertions.assertThat;

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

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * The packaged service on PostgreSQL through configuration alone. {@code bin/test} starts a local
 * PostgreSQL and passes a fresh database in CNN_TEST_POSTGRES_URL, _USER and _PASSWORD; skipped otherwise.
 */
@RequiresMnist
class PostgresIT {

    @Test
    void jobsAndTheirMetricsLiveInPostgresAndSurviveARestart() throws SQLException {
        TestPostgres postgres = TestPostgres.require("CNN_TEST_POSTGRES_URL");
        var dataDir = RealData.freshDataDir();
        String[] config = postgres.serviceArgs();
        String id;
        try (ServiceProcess first = ServiceProcess.start(dataDir, List.of("-Xmx1g"), config)) {
            id = first.api().post("/jobs", """
                    {"name": "on-postgres", "ensembleSize": 2, "epochs": 1, "trainLimit": 1000, "testLimit": 200}""").get("id").asString();
            first.api().awaitJob(id, Duration.ofMinutes(2), job -> job.get("state").asString().equals("SUCCEEDED"));
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

        try (ServiceProcess second = ServiceProcess.start(dataDir, List.of("-Xmx1g"), config)) {
            JsonNode job = second.api().get("/jobs/" + id);
            assertThat(job.get("state").asString()).isEqualTo("SUCCEEDED");
            assertThat(job.at("/history/0/members")).hasSize(2);
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
