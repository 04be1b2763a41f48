-- Each model's evaluation on its test images (confusion matrix, per-class precision and recall, the
-- misclassified images), computed once when its job succeeds. Deleting the job deletes it.
-- Portable between H2 and PostgreSQL.
CREATE TABLE model_evaluation (
    job_id          VARCHAR(36) PRIMARY KEY REFERENCES job_record (id) ON DELETE CASCADE,
    evaluation_json TEXT                     NOT NULL,
    computed_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
