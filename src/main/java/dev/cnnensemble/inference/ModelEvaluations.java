package dev.cnnensemble.inference;

import dev.cnnensemble.dataset.DatasetStore;
import dev.cnnensemble.dataset.LabeledImages;
import dev.cnnensemble.jobs.JobEvent;
import dev.cnnensemble.jobs.JobState;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Each model's {@link ModelEvaluation}: computed on this replica's evaluation thread when its job
 * succeeds here, and stored; a model trained before evaluations existed, or whose replica stopped
 * first, is evaluated on its first request. The test images run through the same batcher as
 * {@code /predict}, so the evaluation is what the service serves.
 */
@Service
public class ModelEvaluations implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ModelEvaluations.class);

    private final ModelRegistry registry;
    private final Predictor predictor;
    private final DatasetStore datasets;
    private final ModelEvaluationStore store;
    private final InferenceProperties properties;
    private final OncePerModel<ModelEvaluation> evaluator = new OncePerModel<>("evaluate", "model-evaluation", this::storedOrEvaluated);

    ModelEvaluations(ModelRegistry registry, Predictor predictor, DatasetStore datasets, ModelEvaluationStore store,
                     InferenceProperties properties) {
        this.registry = registry;
        this.predictor = predictor;
        this.datasets = datasets;
        this.store = store;
        this.properties = properties;
    }

    public ModelEvaluation get(String modelId) {
        registry.get(modelId);
        return store.find(modelId).orElseGet(() -> evaluator.await(modelId));
    }

    /** A prediction found no threshold: the model was trained before evaluations existed, or is being evaluated. */
    @EventListener
    void on(UncertaintyThresholds.Missing event) {
        evaluator.startInBackground(event.modelId());
    }

    @EventListener
    void on(JobEvent.StateChanged event) {
        if (event.state() == JobState.SUCCEEDED) {
            evaluator.startInBackground(event.jobId());
        }
    }

    private ModelEvaluation storedOrEvaluated(String modelId) {
        return store.find(modelId).orElseGet(() -> evaluate(modelId));
    }

    private ModelEvaluation evaluate(String modelId) {
        long started = System.nanoTime();
        ModelRegistry.UnderTest model = registry.underTest(modelId);
        LabeledImages test = datasets.load(model.descriptor().dataset()).test().first(model.testLimit());
        int pixelsPerImage = test.pixelsPerImage();
        int batch = properties.batching().maxBatchSize();
        float[][][] memberLogits = new float[model.descriptor().ensembleSize()][test.size()][];
        double[] inkCoverages = new double[test.size()];
        for (int from = 0; from < test.size(); from += batch) {
            int count = Math.min(batch, test.size() - from);
            float[] pixels = new float[count * pixelsPerImage];
            for (int p = 0; p < pixels.length; p++) {
                pixels[p] = Byte.toUnsignedInt(test.pixels()[from * pixelsPerImage + p]) / 255f;
            }
            for (int i = 0; i < count; i++) {
                inkCoverages[from + i] = InkCoverage.of(pixels, i, pixelsPerImage);
            }
            float[][][] logits = predictor.serve(modelId, pixels, count).memberLogits();
            for (int m = 0; m < logits.length; m++) {
                System.arraycopy(logits[m], 0, memberLogits[m], from, count);
            }
        }
        ModelEvaluation evaluation = ModelEvaluation.of(model.descriptor(), test.labels(), inkCoverages, memberLogits, properties.uncertaintyPercentile(),
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        store.insert(evaluation);
        log.info("Evaluated model {} on {} test images in {} ms: accuracy {}", modelId, test.size(),
                (System.nanoTime() - started) / 1_000_000, String.format("%.4f", evaluation.accuracy()));
        return evaluation;
    }

    @Override
    public void destroy() {
        evaluator.close();
    }
}
