package dev.cnnensemble.dataset;

import dev.cnnensemble.dataset.DatasetSpec.DataFile;
import dev.cnnensemble.support.StoredJson;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import tools.jackson.databind.json.JsonMapper;

/**
 * The users' datasets in the {@code dataset} table, which every replica shares. The built-ins have a
 * row too, without details, so that jobs can reference any dataset (see V5__datasets.sql).
 */
@Repository
class UploadedDatasets {

    /** What the database keeps of an upload; its files are on the volume. */
    record Details(String description, List<String> classNames, List<DataFile> files) {
    }

    private final JdbcClient jdbc;
    private final JsonMapper writer;
    private final JsonMapper reader;

    UploadedDatasets(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.writer = json;
        this.reader = StoredJson.reader(json);
    }

    Optional<Upload> find(String name) {
        return jdbc.sql("SELECT name, details_json, created_at FROM dataset WHERE name = ? AND built_in = FALSE")
                .param(name).query(this::upload).optional();
    }

    /** Oldest first. */
    List<Upload> all() {
        return jdbc.sql("SELECT name, details_json, created_at FROM dataset WHERE built_in = FALSE ORDER BY created_at, name")
                .query(this::upload).list();
    }

    /** @throws org.springframework.dao.DuplicateKeyException when the name is taken, by another replica too */
    void insert(String name, Details details, Instant createdAt) {
        jdbc.sql("INSERT INTO dataset (name, built_in, details_json, created_at) VALUES (?, FALSE, ?, ?)")
                .params(name, writer.writeValueAsString(details), Timestamp.from(createdAt)).update();
    }

    /**
     * @return whether a row was deleted
     * @throws org.springframework.dao.DataIntegrityViolationException when a job references it
     */
    boolean delete(String name) {
        return jdbc.sql("DELETE FROM dataset WHERE name = ? AND built_in = FALSE").param(name).update() > 0;
    }

    private Upload upload(ResultSet row, int index) throws SQLException {
        Details details = reader.readValue(row.getString("details_json"), Details.class);
        return new Upload(DatasetSpec.uploaded(row.getString("name"), details.description(), details.classNames(), details.files()),
                row.getTimestamp("created_at").toInstant());
    }
}
