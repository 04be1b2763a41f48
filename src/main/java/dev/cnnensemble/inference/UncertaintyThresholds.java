package dev.cnnensemble.inference;

import dev.cnnensemble.jobs.JobEvent;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Each model's entropy threshold and ink coverage range, from its stored evaluation, kept in memory once
 * read: a model's weights, and so its limits, never change. A model without them yet is asked to be evaluated.
 */
@Component
class UncertaintyThresholds {

    /** Published when a model has no stored evaluation, hence no threshold. */
    record Missing(String modelId) {
    }

    /** Beyond either, a prediction is uncertain; the range is null in evaluations stored before it was measured. */
    record Limits(double entropy, InkCoverage.@Nullable Range inkCoverage) {

        boolean exceededBy(double entropy, double inkCoverage) {
            return entropy > this.entropy || (this.inkCoverage != null && !this.inkCoverage.contains(inkCoverage));
        }
    }

    private final ModelEvaluationStore store;
    private final ApplicationEventPublisher events;
    private final Map<String, Limits> limits = new ConcurrentHashMap<>();

    UncertaintyThresholds(ModelEvaluationStore store, ApplicationEventPublisher events) {
        this.store = store;
        this.events = events;
    }

    Optional<Limits> of(String modelId) {
        Limits known = limits.get(modelId);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Limits> stored = store.find(modelId).map(evaluation -> new Limits(evaluation.entropyThreshold(), evaluation.inkCoverage()));
        stored.ifPresentOrElse(found -> limits.put(modelId, found), () -> events.publishEvent(new Missing(modelId)));
        return stored;
    }

    @EventListener
    void on(JobEvent.Deleted event) {
        limits.remove(event.jobId());
    }
}
