package dev.cnnensemble.inference;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Keeps the default model's job id in the database, so it survives restarts and is shared by replicas. */
@Repository
class DefaultModelStore {

    private static final String SLOT = "default";

    private final JdbcClient jdbc;

    DefaultModelStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<String> get() {
        return jdbc.sql("SELECT job_id FROM default_model WHERE slot = ?").param(SLOT).query(String.class).optional();
    }

    void set(String jobId) {
        int updated = jdbc.sql("UPDATE default_model SET job_id = ?, updated_at = ? WHERE slot = ?")
                .params(jobId, now(), SLOT).update();
        if (updated == 0 && !setIfAbsent(jobId)) {
            set(jobId);
        }
    }

    /** Sets it only when no default exists; true when this call set it. */
    boolean setIfAbsent(String jobId) {
        try {
            jdbc.sql("INSERT INTO default_model (slot, job_id, updated_at) VALUES (?, ?, ?)").params(SLOT, jobId, now()).update();
            return true;
        } catch (DuplicateKeyException exists) {
            return false;
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
