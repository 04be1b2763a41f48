package dev.cnnensemble.inference;

import dev.cnnensemble.support.StoredJson;

import java.sql.Timestamp;
import java.util.Optional;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import tools.jackson.databind.json.JsonMapper;

/** Keeps each model's evaluation in the database, shared by replicas; deleting the job deletes it. */
@Repository
class ModelEvaluationStore {

    private final JdbcClient jdbc;
    private final JsonMapper writer;
    private final JsonMapper reader;

    ModelEvaluationStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.writer = json;
        this.reader = StoredJson.reader(json);
    }

    Optional<ModelEvaluation> find(String modelId) {
        return jdbc.sql("SELECT evaluation_json FROM model_evaluation WHERE job_id = ?").param(modelId)
                .query(String.class).optional().map(json -> reader.readValue(json, ModelEvaluation.class));
    }

    /**
     * Keeps the first evaluation stored when two replicas computed one at once (they are the same), and
     * stores none for a job deleted meanwhile.
     */
    void insert(ModelEvaluation evaluation) {
        try {
            jdbc.sql("INSERT INTO model_evaluation (job_id, evaluation_json, computed_at) VALUES (?, ?, ?)")
                    .params(evaluation.modelId(), writer.writeValueAsString(evaluation), Timestamp.from(evaluation.computedAt())).update();
        } catch (DataIntegrityViolationException storedOrDeleted) {
            // The primary key refused a second copy, or the foreign key a deleted job.
        }
    }
}
