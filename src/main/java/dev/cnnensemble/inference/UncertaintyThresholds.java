package dev.cnnensemble.inference;

import dev.cnnensemble.jobs.JobEvent;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Each model's entropy threshold, from its stored evaluation, kept in memory once read: a model's
 * weights, and so its threshold, never change. A model without one yet is asked to be evaluated.
 */
@Component
class UncertaintyThresholds {

    /** Published when a model has no stored evaluation, hence no threshold. */
    record Missing(String modelId) {
    }

    private final ModelEvaluationStore store;
    private final ApplicationEventPublisher events;
    private final Map<String, Double> thresholds = new ConcurrentHashMap<>();

    UncertaintyThresholds(ModelEvaluationStore store, ApplicationEventPublisher events) {
        this.store = store;
        this.events = events;
    }

    Optional<Double> of(String modelId) {
        Double known = thresholds.get(modelId);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Double> stored = store.find(modelId).map(ModelEvaluation::entropyThreshold);
        stored.ifPresentOrElse(threshold -> thresholds.put(modelId, threshold), () -> events.publishEvent(new Missing(modelId)));
        return stored;
    }

    @EventListener
    void on(JobEvent.Deleted event) {
        thresholds.remove(event.jobId());
    }
}
