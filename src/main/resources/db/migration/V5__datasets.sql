-- Every dataset a job may train on: the built-ins, and the users' uploads with their description.
-- A job references its dataset, so the database itself refuses to delete a dataset that a job or a
-- model uses, and refuses a job on a dataset deleted meanwhile, whichever replica asks.
-- Portable between H2 and PostgreSQL.
CREATE TABLE dataset (
    name         VARCHAR(100) PRIMARY KEY,
    built_in     BOOLEAN      NOT NULL,
    -- An upload's description as JSON (classes, files and their SHA-256, counts); null for built-ins,
    -- which the catalogue in the code describes.
    details_json TEXT,
    created_at   TIMESTAMP WITH TIME ZONE
);

INSERT INTO dataset (name, built_in) VALUES ('mnist', TRUE), ('fashion-mnist', TRUE);

ALTER TABLE job_record ADD COLUMN dataset VARCHAR(100);
-- Jobs stored before could only use a built-in; their configuration names it.
UPDATE job_record SET dataset = CASE WHEN config_json LIKE '%"dataset":"fashion-mnist"%' THEN 'fashion-mnist' ELSE 'mnist' END;
ALTER TABLE job_record ALTER COLUMN dataset SET NOT NULL;
ALTER TABLE job_record ADD CONSTRAINT job_record_dataset FOREIGN KEY (dataset) REFERENCES dataset (name);
CREATE INDEX job_record_dataset_idx ON job_record (dataset);
