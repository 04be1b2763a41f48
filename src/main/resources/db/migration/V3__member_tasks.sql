-- Members become units of work: each job has one member_task per member, claimed by any worker of
-- any replica through db-scheduler's table below. Progress moves to member_progress, written by the
-- member's worker while it trains. Portable between H2 and PostgreSQL.
ALTER TABLE job_record ADD COLUMN stop_reason VARCHAR(16);
ALTER TABLE job_record DROP COLUMN attempts;
ALTER TABLE job_record DROP COLUMN resumed_at_epoch;
ALTER TABLE job_record DROP COLUMN resumed_at_step;
ALTER TABLE job_record DROP COLUMN progress_percent;
ALTER TABLE job_record DROP COLUMN current_member;
ALTER TABLE job_record DROP COLUMN current_epoch;
ALTER TABLE job_record DROP COLUMN current_step;
ALTER TABLE job_record DROP COLUMN steps_per_epoch;
ALTER TABLE job_record DROP COLUMN samples_per_second;
ALTER TABLE job_record DROP COLUMN eta_seconds;

CREATE TABLE member_task (
    job_id           VARCHAR(36) NOT NULL REFERENCES job_record (id) ON DELETE CASCADE,
    member           INT         NOT NULL,
    state            VARCHAR(16) NOT NULL,
    attempt          INT         NOT NULL,  -- the fencing token of the worker that holds it
    worker           VARCHAR(200),
    error            TEXT,
    resumed_at_epoch INT,
    resumed_at_step  BIGINT,
    started_at       TIMESTAMP WITH TIME ZONE,
    finished_at      TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (job_id, member)
);

CREATE TABLE member_progress (
    job_id             VARCHAR(36) NOT NULL REFERENCES job_record (id) ON DELETE CASCADE,
    member             INT         NOT NULL,
    attempt            INT         NOT NULL,
    epoch              INT         NOT NULL,
    step               INT         NOT NULL,
    steps_per_epoch    INT         NOT NULL,
    completed_steps    BIGINT      NOT NULL,
    work_done          BIGINT      NOT NULL,  -- in optimiser steps, evaluation included (see training.Work)
    work_total         BIGINT      NOT NULL,
    work_at_start      BIGINT      NOT NULL,
    attempt_started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    samples_per_second DOUBLE PRECISION NOT NULL,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (job_id, member)
);

CREATE TABLE training_worker (
    id           VARCHAR(250) PRIMARY KEY,
    replica      VARCHAR(200) NOT NULL,
    device       VARCHAR(200) NOT NULL,
    job_id       VARCHAR(36),
    member       INT,
    since        TIMESTAMP WITH TIME ZONE,
    heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL,
    problem      TEXT  -- a device this replica cannot train on, and why
);

-- db-scheduler 16.7.1's table, from its PostgreSQL DDL; it ships none for H2.
CREATE TABLE scheduled_tasks (
    task_name            VARCHAR(100) NOT NULL,
    task_instance        VARCHAR(250) NOT NULL,
    task_data            BYTEA,
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN NOT NULL,
    picked_by            VARCHAR(250),
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
