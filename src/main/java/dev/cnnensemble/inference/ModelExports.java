package dev.cnnensemble.inference;

import dev.cnnensemble.jobs.JobEvent;
import dev.cnnensemble.jobs.JobState;

import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Each model as one ONNX file: written when its job succeeds on this replica, and on first request
 * for a model trained before exports existed, or whose replica stopped first.
 */
@Service
public class ModelExports implements DisposableBean {

    private final ModelRegistry registry;
    private final ModelExporter exporter;
    private final OncePerModel<ModelExporter.OnnxFile> writer = new OncePerModel<>("write as ONNX", "model-export", this::write);
    /** A model's weights never change, so once written its file stays what it is until the job is deleted. */
    private final Map<String, ModelExporter.OnnxFile> written = new ConcurrentHashMap<>();

    ModelExports(ModelRegistry registry, ModelExporter exporter) {
        this.registry = registry;
        this.exporter = exporter;
    }

    public ModelExporter.OnnxFile onnx(String modelId) {
        registry.get(modelId);
        ModelExporter.OnnxFile file = written.get(modelId);
        return file != null && Files.isRegularFile(file.file()) ? file : writer.await(modelId);
    }

    @EventListener
    void on(JobEvent.StateChanged event) {
        if (event.state() == JobState.SUCCEEDED) {
            writer.startInBackground(event.jobId());
        }
    }

    @EventListener
    void on(JobEvent.Deleted event) {
        written.remove(event.jobId());
        exporter.delete(event.jobId());
    }

    private ModelExporter.OnnxFile write(String modelId) {
        ModelExporter.OnnxFile file = exporter.onnx(registry.underTest(modelId).descriptor());
        written.put(modelId, file);
        return file;
    }

    @Override
    public void destroy() {
        writer.close();
    }
}
