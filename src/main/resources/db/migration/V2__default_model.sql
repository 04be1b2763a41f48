-- The model POST /predict uses when a request names none: one row at most. Deleting its job removes it.
CREATE TABLE default_model (
    slot       VARCHAR(16) PRIMARY KEY,
    job_id     VARCHAR(36) NOT NULL REFERENCES job_record (id) ON DELETE CASCADE,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
