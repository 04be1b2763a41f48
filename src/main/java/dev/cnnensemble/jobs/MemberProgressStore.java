package dev.cnnensemble.jobs;

import dev.cnnensemble.training.MemberProgress;
import dev.cnnensemble.training.MemberStart;
import dev.cnnensemble.training.Work;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.jspecify.annotations.Nullable;

/**
 * Where each running member stands, written by its worker every progress interval and read by any
 * replica: the figures behind a job's progress, its images per second and its time left. Telemetry
 * outside the job aggregate, so that frequent writes never contend with its state changes; every
 * write is fenced by the member's attempt.
 */
@Component
class MemberProgressStore {

    /** One member's row. {@code workAtStart} and {@code attemptStartedAt} give the pace of the current attempt. */
    record Row(String jobId, int member, int attempt, int epoch, int step, int stepsPerEpoch, long completedSteps, long workDone,
               long workTotal, long workAtStart, Instant attemptStartedAt, double samplesPerSecond, Instant updatedAt) {

        /** Units of work per second over the current attempt, evaluation pauses included; 0 before any. */
        double pace() {
            double seconds = (updatedAt.toEpochMilli() - attemptStartedAt.toEpochMilli()) / 1000.0;
            return seconds <= 0 ? 0 : (workDone - workAtStart) / seconds;
        }
    }

    private final JdbcClient jdbc;

    MemberProgressStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void start(MemberTaskId task, int attempt, MemberStart start, Instant now) {
        Work work = start.work();
        int completedEpochs = start.firstEpoch() - 1;
        int step = (int) (start.completedSteps() - (long) completedEpochs * work.stepsPerEpoch());
        long done = work.done(completedEpochs, step);
        jdbc.sql("DELETE FROM member_progress WHERE job_id = ? AND member = ?").params(task.jobId(), task.member()).update();
        jdbc.sql("""
                INSERT INTO member_progress (job_id, member, attempt, epoch, step, steps_per_epoch, completed_steps, work_done, work_total,
                                             work_at_start, attempt_started_at, samples_per_second, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)""")
                .params(task.jobId(), task.member(), attempt, Math.min(start.firstEpoch(), work.epochs()), step, work.stepsPerEpoch(),
                        start.completedSteps(), done, work.total(), done, utc(now), utc(now))
                .update();
    }

    /** False when another worker holds the member now. */
    boolean update(MemberTaskId task, int attempt, MemberProgress p, Instant now) {
        return jdbc.sql("""
                UPDATE member_progress SET epoch = ?, step = ?, completed_steps = ?, work_done = ?, samples_per_second = ?, updated_at = ?
                WHERE job_id = ? AND member = ? AND attempt = ?""")
                .params(p.epoch(), p.step(), p.completedSteps(), p.completedWork(), p.samplesPerSecond(), utc(now),
                        task.jobId(), task.member(), attempt)
                .update() == 1;
    }

    /** After an epoch's evaluation: its work is done too. */
    void evaluated(MemberTaskId task, int attempt, long workDone, Instant now) {
        jdbc.sql("UPDATE member_progress SET work_done = ?, updated_at = ? WHERE job_id = ? AND member = ? AND attempt = ?")
                .params(workDone, utc(now), task.jobId(), task.member(), attempt)
                .update();
    }

    List<Row> forJob(String jobId) {
        return jdbc.sql("SELECT * FROM member_progress WHERE job_id = ? ORDER BY member").param(jobId).query(MemberProgressStore::row).list();
    }

    List<Row> forJobs(Collection<String> jobIds) {
        if (jobIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT * FROM member_progress WHERE job_id IN (:ids) ORDER BY job_id, member").param("ids", jobIds)
                .query(MemberProgressStore::row).list();
    }

    /** Images per second of every member training now, cluster-wide. */
    double throughput() {
        return jdbc.sql("""
                SELECT COALESCE(SUM(p.samples_per_second), 0) FROM member_progress p
                JOIN member_task t ON t.job_id = p.job_id AND t.member = p.member AND t.attempt = p.attempt
                WHERE t.state = 'RUNNING'""").query(Double.class).single();
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getString("job_id"), rs.getInt("member"), rs.getInt("attempt"), rs.getInt("epoch"), rs.getInt("step"),
                rs.getInt("steps_per_epoch"), rs.getLong("completed_steps"), rs.getLong("work_done"), rs.getLong("work_total"),
                rs.getLong("work_at_start"), instant(rs, "attempt_started_at"), rs.getDouble("samples_per_second"), instant(rs, "updated_at"));
    }

    static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static @Nullable OffsetDateTime utc(@Nullable Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
