package dev.cnnensemble.jobs;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.jspecify.annotations.Nullable;

/**
 * @param enabled          whether this replica's workers train (off on a replica that only serves)
 * @param workers          training workers of this replica; 0: two per core on the CPU, one per usable GPU
 * @param threadsPerWorker CPU threads of a training step; 0: the cores split evenly among the busy workers,
 *                         so a member training alone gets them all
 * @param queueCapacity    jobs that may wait, cluster-wide; beyond it {@code POST /jobs} answers 503 with Retry-After
 * @param retryAfter       what that Retry-After says
 * @param progressInterval how often a running member writes its progress, and reads whether it must stop
 * @param eventInterval    how often an SSE stream looks for news of its job
 * @param heartbeat        how often a worker renews the lease on its member task
 * @param missedHeartbeats leases missed before a worker counts as dead and its task goes to another
 * @param pollInterval     how often an idle replica looks for waiting member tasks
 * @param replicaName      this replica's name among those sharing the database; default host name and process id
 */
@ConfigurationProperties("cnn.jobs")
public record JobsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("0") int workers,
        @DefaultValue("0") int threadsPerWorker,
        @DefaultValue("32") int queueCapacity,
        @DefaultValue("30s") Duration retryAfter,
        @DefaultValue("1s") Duration progressInterval,
        @DefaultValue("500ms") Duration eventInterval,
        @DefaultValue("10s") Duration heartbeat,
        @DefaultValue("4") int missedHeartbeats,
        @DefaultValue("1s") Duration pollInterval,
        @Nullable String replicaName) {

    /** How long a worker may stay silent before it counts as dead. */
    public Duration deadAfter() {
        return heartbeat.multipliedBy(missedHeartbeats);
    }
}
