package dev.cnnensemble.inference;

import dev.cnnensemble.inference.InferenceExceptions.NoModel;
import dev.cnnensemble.inference.InferenceExceptions.NotAModel;
import dev.cnnensemble.jobs.JobEvent;
import dev.cnnensemble.jobs.JobQueries;
import dev.cnnensemble.jobs.JobState;
import dev.cnnensemble.jobs.JobView;
import dev.cnnensemble.training.EpochMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Page;
import org.springframework.stereotype.Service;

/**
 * The trained models (SUCCEEDED jobs) and which one is the default. The first model ever trained
 * becomes the default; later ones replace it only through {@code PUT /models/default}, or when
 * {@code cnn.inference.auto-promote} is on.
 */
@Service
public class ModelRegistry {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);
    /** How long a replica trusts its copy of the default before reading the database again. */
    private static final long DEFAULT_TTL_NANOS = 2_000_000_000L;
    private static final int PAGE = 100;

    private record CachedDefault(Optional<String> jobId, long readAt) {
    }

    private final JobQueries jobs;
    private final DefaultModelStore defaults;
    private final ModelCache cache;
    private final InferenceProperties properties;
    private volatile CachedDefault cachedDefault;

    ModelRegistry(JobQueries jobs, DefaultModelStore defaults, ModelCache cache, InferenceProperties properties) {
        this.jobs = jobs;
        this.defaults = defaults;
        this.cache = cache;
        this.properties = properties;
    }

    /** Every model, newest first. */
    public List<ModelView> list() {
        Optional<String> defaultId = defaultId();
        List<ModelView> models = new ArrayList<>();
        for (int page = 0; ; page++) {
            Page<JobView> succeeded = jobs.list(JobState.SUCCEEDED, page, PAGE);
            succeeded.forEach(summary -> models.add(view(jobs.get(summary.id()), defaultId)));
            if (!succeeded.hasNext()) {
                return models;
            }
        }
    }

    public ModelView get(String id) {
        return view(model(id), defaultId());
    }

    public Optional<ModelView> defaultModel() {
        return defaultId().map(id -> view(jobs.get(id), Optional.of(id)));
    }

    public ModelView setDefault(String id) {
        JobView job = model(id);
        defaults.set(id);
        cachedDefault = null;
        log.info("Model {} is now the default", id);
        return view(job, Optional.of(id));
    }

    /** The model a request names, or the default; loaded and ready to take images. */
    ModelCache.Serving serving(String requested) {
        String id = requested != null ? requested : defaultId().orElseThrow(this::noDefault);
        Optional<ModelCache.Serving> loaded = cache.ifLoaded(id);
        if (loaded.isPresent()) {
            return loaded.get();
        }
        JobView job = model(id);
        return cache.get(new ModelDescriptor(id, job.config().architecture(), job.config().ensembleSize()));
    }

    @EventListener
    void on(JobEvent.StateChanged event) {
        if (event.state() != JobState.SUCCEEDED) {
            return;
        }
        String id = event.jobId();
        if (properties.autoPromote()) {
            defaults.set(id);
            log.info("Model {} is now the default (cnn.inference.auto-promote)", id);
        } else if (defaults.setIfAbsent(id)) {
            log.info("Model {} is the default: it is the first one", id);
        } else {
            log.info("Model {} is ready; PUT /models/default to serve it by default", id);
        }
        cachedDefault = null;
    }

    @EventListener
    void on(JobEvent.Deleted event) {
        cache.evict(event.jobId());
        cachedDefault = null;
    }

    private Optional<String> defaultId() {
        CachedDefault cached = cachedDefault;
        if (cached == null || System.nanoTime() - cached.readAt() > DEFAULT_TTL_NANOS) {
            cached = new CachedDefault(defaults.get(), System.nanoTime());
            cachedDefault = cached;
        }
        return cached.jobId();
    }

    private JobView model(String id) {
        JobView job = jobs.get(id);
        if (job.state() != JobState.SUCCEEDED) {
            throw new NotAModel("job " + id + " is " + job.state() + "; only a SUCCEEDED job is a model");
        }
        return job;
    }

    private NoModel noDefault() {
        long models = jobs.list(JobState.SUCCEEDED, 0, 1).getTotalElements();
        if (models == 0) {
            return new NoModel("no model has been trained yet. Train one with POST /jobs, e.g. "
                    + "curl -X POST localhost:8080/jobs -H 'Content-Type: application/json' -d '{\"epochs\": 2}', "
                    + "and predict once GET /jobs/{id} says SUCCEEDED");
        }
        return new NoModel("no default model is set, and " + models + " trained model(s) exist: choose one with "
                + "PUT /models/default {\"jobId\": \"...\"} (GET /models lists them), or pass model=<jobId>");
    }

    private ModelView view(JobView job, Optional<String> defaultId) {
        List<JobView.EpochView> history = job.history() == null ? List.of() : job.history();
        JobView.EpochView last = history.isEmpty() ? null : history.get(history.size() - 1);
        Optional<ModelCache.Serving> loaded = cache.ifLoaded(job.id());
        return new ModelView(job.id(), job.name(), job.config().architecture(), job.config().dataset(), job.config().ensembleSize(),
                job.config().epochs(), last == null ? null : last.ensemble().testAccuracy(),
                last == null ? List.of() : last.members().stream().map(EpochMetrics::testAccuracy).toList(),
                job.finishedAt(), defaultId.filter(job.id()::equals).isPresent(), loaded.isPresent(),
                loaded.map(ModelCache.Serving::version).orElse(null));
    }
}
