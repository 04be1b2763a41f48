package dev.cnnensemble.jobs;

import static dev.cnnensemble.jobs.MemberProgressStore.instant;
import static dev.cnnensemble.jobs.MemberProgressStore.utc;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.jspecify.annotations.Nullable;

/**
 * Every training worker of every replica, with what it trains and when it last reported: the rows
 * behind {@code GET /workers}. A status board, not a lease: the queue's own heartbeats decide when a
 * worker is dead and its task goes to another.
 */
@Component
public class WorkerRegistry {

    /** How long the rows of a replica that stopped reporting are still listed. */
    private static final Duration FORGET_AFTER = Duration.ofHours(1);

    /** A worker as {@code GET /workers} lists it. */
    @Schema(name = "Worker")
    public record WorkerView(@Schema(example = "trainer-0-4711/0") String id, String replica,
                             @Schema(example = "cpu") String device, @Nullable String jobId, @Nullable Integer member,
                             @Nullable Instant since, Instant lastHeartbeat,
                             @Schema(description = "Reported within the heartbeats a dead worker misses") boolean alive,
                             @Schema(description = "Why this device trains nothing, when it cannot: such a device is listed, never used")
                             @Nullable String problem) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final JobsProperties properties;

    WorkerRegistry(JdbcClient jdbc, Clock clock, JobsProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.properties = properties;
    }

    /** Lists this replica's workers, and the devices it cannot train on with the reason. */
    void register(String replica, List<String> workers, WorkerPlan plan) {
        leave(replica);
        for (int i = 0; i < workers.size(); i++) {
            insert(workers.get(i), replica, plan.workers().get(i).label(), null);
        }
        plan.devices().stream().filter(d -> !d.usable())
                .forEach(d -> insert(replica + "/" + d.label(), replica, d.label() + " " + d.name(), d.problem()));
    }

    private void insert(String id, String replica, String device, @Nullable String problem) {
        jdbc.sql("INSERT INTO training_worker (id, replica, device, problem, heartbeat_at) VALUES (?, ?, ?, ?, ?)")
                .params(id, replica, device, problem, utc(clock.instant())).update();
    }

    void busy(String worker, MemberTaskId task) {
        jdbc.sql("UPDATE training_worker SET job_id = ?, member = ?, since = ? WHERE id = ?")
                .params(task.jobId(), task.member(), utc(clock.instant()), worker).update();
    }

    void idle(String worker) {
        jdbc.sql("UPDATE training_worker SET job_id = NULL, member = NULL, since = NULL WHERE id = ?").param(worker).update();
    }

    void heartbeat(String replica) {
        Instant now = clock.instant();
        jdbc.sql("UPDATE training_worker SET heartbeat_at = ? WHERE replica = ?").params(utc(now), replica).update();
        jdbc.sql("DELETE FROM training_worker WHERE heartbeat_at < ?").param(utc(now.minus(FORGET_AFTER))).update();
    }

    void leave(String replica) {
        jdbc.sql("DELETE FROM training_worker WHERE replica = ?").param(replica).update();
    }

    public List<WorkerView> list() {
        Instant deadline = clock.instant().minus(properties.deadAfter());
        return jdbc.sql("SELECT * FROM training_worker ORDER BY replica, id").query((rs, n) -> {
            Instant heartbeat = instant(rs, "heartbeat_at");
            int member = rs.getInt("member");
            return new WorkerView(rs.getString("id"), rs.getString("replica"), rs.getString("device"), rs.getString("job_id"),
                    rs.wasNull() ? null : member, instant(rs, "since"), heartbeat, heartbeat.isAfter(deadline), rs.getString("problem"));
        }).list();
    }
}
