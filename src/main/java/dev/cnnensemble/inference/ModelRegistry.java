package dev.cnnensemble.inference;

import dev.cnnensemble.dataset.DatasetCatalog;
import dev.cnnensemble.inference.InferenceExceptions.NoModel;
import dev.cnnensemble.inference.InferenceExceptions.NotAModel;
import dev.cnnensemble.jobs.JobEvent;
import dev.cnnensemble.jobs.JobQueries;
import dev.cnnensemble.jobs.JobState;
import dev.cnnensemble.training.TrainingConfig;

import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
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

    private record CachedDefault(Optional<String> jobId, long readAt) {
    }

    private final JobQueries jobs;
    private final DatasetCatalog datasets;
    private final DefaultModelStore defaults;
    private final ModelCache cache;
    private final InferenceProperties properties;
    private volatile CachedDefault cachedDefault;

    ModelRegistry(JobQueries jobs, DatasetCatalog datasets, DefaultModelStore defaults, ModelCache cache, InferenceProperties properties) {
        this.jobs = jobs;
        this.datasets = datasets;
        this.defaults = defaults;
        this.cache = cache;
        this.properties = properties;
    }

    /** Every model, newest first. */
    public List<ModelView> list() {
        Optional<String> defaultId = defaultId();
        return jobs.trained().stream().map(model -> view(model, defaultId)).toList();
    }

    public ModelView get(String id) {
        return view(model(id), defaultId());
    }

    public Optional<ModelView> defaultModel() {
        return defaultId().map(id -> view(model(id), Optional.of(id)));
    }

    public ModelView setDefault(String id) {
        JobQueries.Trained model = model(id);
        defaults.set(id);
        cachedDefault = null;
        log.info("Model {} is now the default", id);
        return view(model, Optional.of(id));
    }

    /** The model a request names, or the default; loaded and ready to take images. */
    ModelCache.Serving serving(String requested) {
        String id = requested != null ? requested : defaultId().orElseThrow(this::noDefault);
        Optional<ModelCache.Serving> loaded = cache.ifLoaded(id);
        if (loaded.isPresent()) {
            return loaded.get();
        }
        return cache.get(descriptor(id, model(id).config()));
    }

    /** A model and the test images its job reported on: the first {@code testLimit}, or all when null. */
    record UnderTest(ModelDescriptor descriptor, @Nullable Integer testLimit) {
    }

    UnderTest underTest(String id) {
        TrainingConfig config = model(id).config();
        return new UnderTest(descriptor(id, config), config.testLimit());
    }

    private ModelDescriptor descriptor(String id, TrainingConfig config) {
        return new ModelDescriptor(id, config.architecture(), config.ensembleSize(), config.dataset(), classNames(config));
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

    private JobQueries.Trained model(String id) {
        return jobs.trained(id).orElseThrow(() ->
                new NotAModel("job " + id + " is " + jobs.get(id).state() + "; only a SUCCEEDED job is a model"));
    }

    private NoModel noDefault() {
        long models = jobs.countByState(JobState.SUCCEEDED);
        if (models == 0) {
            return new NoModel("no model has been trained yet. Train one with POST /jobs, e.g. "
                    + "curl -X POST localhost:8080/jobs -H 'Content-Type: application/json' -d '{\"epochs\": 2}', "
                    + "and predict once GET /jobs/{id} says SUCCEEDED");
        }
        return new NoModel("no default model is set, and " + models + " trained model(s) exist: choose one with "
                + "PUT /models/default {\"jobId\": \"...\"} (GET /models lists them), or pass model=<jobId>");
    }

    private ModelView view(JobQueries.Trained model, Optional<String> defaultId) {
        Optional<ModelCache.Serving> loaded = cache.ifLoaded(model.id());
        return new ModelView(model.id(), model.name(), model.config().architecture(), model.config().dataset(), classNames(model.config()),
                model.config().ensembleSize(), model.config().epochs(), model.testAccuracy(), model.memberTestAccuracies(),
                model.finishedAt(), defaultId.filter(model.id()::equals).isPresent(), loaded.isPresent(),
                loaded.map(ModelCache.Serving::version).orElse(null));
    }

    /** A job's dataset passed the catalogue at submission, so the catalogue names its labels. */
    private List<String> classNames(TrainingConfig config) {
        return datasets.get(config.dataset()).classNames();
    }
}
