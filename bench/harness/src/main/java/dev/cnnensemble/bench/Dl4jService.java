package dev.cnnensemble.bench;

import dev.cnnensemble.CnnEnsembleApplication;
import dev.cnnensemble.dataset.DatasetCatalog;
import dev.cnnensemble.dataset.DatasetStore;
import dev.cnnensemble.dataset.LabeledImages;
import dev.cnnensemble.inference.InferenceEngine;
import dev.cnnensemble.inference.ModelDescriptor;
import dev.cnnensemble.inference.ModelExporter;
import dev.cnnensemble.model.Architecture;
import dev.cnnensemble.model.Network;
import dev.cnnensemble.model.NetworkFactory;
import dev.cnnensemble.model.OnnxExport;
import dev.cnnensemble.training.MemberEpoch;
import dev.cnnensemble.training.MemberListener;
import dev.cnnensemble.training.MemberOutcome;
import dev.cnnensemble.training.MemberRun;
import dev.cnnensemble.training.TrainingConfig;
import dev.cnnensemble.training.TrainingEngine;
import dev.cnnensemble.training.dl4j.CheckpointStores;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * DL4J measured through the service itself: training through the job's engine (the same trainer,
 * batches and checkpoints a {@code POST /jobs} runs) and inference through the engine that serves
 * {@code /predict}, both from a Spring context over the benchmark's data volume.
 */
final class Dl4jService implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    Dl4jService(Path dataDir) {
        this("--cnn.data-dir=" + dataDir);
    }

    /** Over command-line arguments as the service takes them ({@code --cnn.data-dir=...}), and any others to read back. */
    Dl4jService(String... args) {
        context = new SpringApplicationBuilder(CnnEnsembleApplication.class)
                .web(WebApplicationType.NONE)
                // DL4J serves unless an argument names the engine: these are defaults, which arguments outrank.
                .properties("spring.main.banner-mode=off", "logging.level.root=WARN", "logging.level.org.flywaydb=ERROR",
                        "cnn.inference.engine=dl4j")
                // Arguments outrank application.yml: no preload, no job queue, a throwaway database.
                .run(Stream.concat(Stream.of("--cnn.datasets.preload=", "--cnn.jobs.enabled=false",
                        "--spring.datasource.url=jdbc:h2:mem:bench"), Arrays.stream(args)).toArray(String[]::new));
    }

    /** The properties the context was started with, command-line arguments first. */
    Environment environment() {
        return context.getEnvironment();
    }

    /** A dataset's test split, fetched and verified into the data volume as the service does. */
    LabeledImages testImages(String dataset) {
        return context.getBean(DatasetStore.class).load(dataset).test();
    }

    record Trained(Measure.Training training, long parameters) {
    }

    /** Trains a fresh single-member run; each epoch's rate counts the optimiser steps only, as jobs report it. */
    Trained train(String runId, Architecture architecture, int epochs, int trainImages) {
        TrainingEngine engine = context.getBean(TrainingEngine.class);
        engine.delete(runId);
        TrainingConfig config = TrainingConfig.defaults().toBuilder()
                .architecture(architecture).epochs(epochs).trainLimit(trainImages).build();
        MemberOutcome outcome = engine.train(new MemberRun(runId, config, 0), MemberListener.NONE);
        List<Double> rates = new ArrayList<>(outcome.history().stream().map(MemberEpoch::samplesPerSecond).toList());
        double accuracy = outcome.history().get(outcome.history().size() - 1).metrics().testAccuracy();
        return new Trained(new Measure.Training(rates, accuracy), outcome.summary().totalParameters());
    }

    InferenceEngine.LoadedEnsemble load(String runId, Architecture architecture) {
        return load(model(runId, architecture, 1, "mnist"));
    }

    /** A trained run as the inference engine loads it, with its dataset's class names. */
    static ModelDescriptor model(String runId, Architecture architecture, int ensembleSize, String dataset) {
        return new ModelDescriptor(runId, architecture, ensembleSize, dataset, new DatasetCatalog().get(dataset).classNames());
    }

    /** A model as {@code /predict} serves it, every member loaded. */
    InferenceEngine.LoadedEnsemble load(ModelDescriptor model) {
        return context.getBean(InferenceEngine.class).load(model);
    }

    /** A model's ONNX export on the volume, written first if need be, as the ONNX Runtime engine loads it. */
    Path onnxFile(ModelDescriptor model) {
        return context.getBean(ModelExporter.class).onnx(model).file();
    }

    /** The trained baseline as the service exports it to ONNX, for ONNX Runtime to serve the same network. */
    byte[] onnx(String runId) {
        Network network = context.getBean(CheckpointStores.class).forRun(runId).latest(0, Architecture.CNN).orElseThrow().network();
        try {
            return OnnxExport.ensemble(List.of(network), NetworkFactory.CLASSES, runId);
        } finally {
            network.close();
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
