-- The SHA-256 of the request that came with an Idempotency-Key, so that the key reused with another
-- request is refused (422) instead of answered with the first job. Null for jobs stored before.
ALTER TABLE job_record ADD COLUMN idempotency_fingerprint VARCHAR(64);
