package dev.cnnensemble.jobs;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param enabled          whether training workers run jobs (off for the command-line trainer)
 * @param workers          training threads; 0 means one per device of the backend (each GPU, or the CPU)
 * @param queueCapacity    jobs that may wait; beyond it {@code POST /jobs} answers 503 with Retry-After
 * @param retryAfter       what that Retry-After says
 * @param progressInterval how often a running job's progress is written to the database
 * @param eventInterval    the shortest gap between two progress events on an SSE stream
 */
@ConfigurationProperties("cnn.jobs")
public record JobsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("0") int workers,
        @DefaultValue("32") int queueCapacity,
        @DefaultValue("30s") Duration retryAfter,
        @DefaultValue("2s") Duration progressInterval,
        @DefaultValue("500ms") Duration eventInterval) {
}
