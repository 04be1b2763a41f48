package dev.cnnensemble.bench;

import dev.cnnensemble.dataset.LabeledImages;
import dev.cnnensemble.inference.InferenceEngine;
import dev.cnnensemble.model.Architecture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.json.JsonMapper;

/**
 * One stack, one task, in its own JVM so that its peak RSS is its own; {@code bench/run} alternates
 * the stacks over several rounds and {@link Report} takes the medians. Appends one JSON line to the
 * results file.
 *
 * <p>Options: {@code --stack=dl4j-cnn|dl4j-cnn-bn|dl4j-resnet|tensorflow|pytorch|onnxruntime
 * --task=train|infer|members|share --data=DIR --results=FILE --round=N --train-images=10000 --epochs=4 --members=3
 * --seconds=6 --batches=1,32,256 --engine-threads=1 --serving-batch=32}; {@code members} trains that many fresh models in turn
 * and prints the wall time (bench/pool); {@code share} (stack onnxruntime-engine) trains while serving and prints both rates.
 */
public final class PeerBench {

    /** One measurement, as the results file holds it. */
    record Row(String stack, String architecture, String task, int round, long parameters, List<Double> epochImagesPerSecond,
               Double testAccuracy, List<Measure.Timing> inference, long peakRssKb, String note) {
    }

    private PeerBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        String stack = options.get("stack");
        String task = options.get("task");
        Path data = Path.of(options.getOrDefault("data", "bench-data")).toAbsolutePath();
        Path results = Path.of(options.getOrDefault("results", data.resolve("results/speed.jsonl").toString()));
        int round = Integer.parseInt(options.getOrDefault("round", "1"));
        int trainImages = Integer.parseInt(options.getOrDefault("train-images", "10000"));
        int epochs = Integer.parseInt(options.getOrDefault("epochs", "4"));
        double seconds = Double.parseDouble(options.getOrDefault("seconds", "6"));
        int[] batches = Arrays.stream(options.getOrDefault("batches", "1,32,256").split(",")).mapToInt(Integer::parseInt).toArray();
        // The ONNX Runtime stacks' intra-op threads: the service engine's cnn.inference.threads-per-pass, and the bare session's.
        int engineThreads = Integer.parseInt(options.getOrDefault("engine-threads", "1"));
        Path mnist = data.resolve("datasets/mnist");
        if (stack.startsWith("dl4j-") && !Files.isDirectory(mnist)) {
            // A fresh data directory: the service fetches and verifies MNIST, as for a job. The DL4J stacks run first.
            try (Dl4jService service = new Dl4jService(data)) {
                service.testImages("mnist");
            }
        }
        Workload workload = Workload.load(mnist, trainImages);
        Files.createDirectories(results.getParent());
        Path onnx = results.resolveSibling("dl4j-cnn.onnx");

        Row row;
        if (stack.startsWith("dl4j-")) {
            Architecture architecture = Architecture.fromId(stack.substring("dl4j-".length()));
            String runId = "bench-speed-" + architecture.id();
            try (Dl4jService service = new Dl4jService(data)) {
                if (task.equals("train")) {
                    Dl4jService.Trained trained = service.train(runId, architecture, epochs, trainImages);
                    Measure.Training t = trained.training();
                    String note = "the job's engine, " + trainImages + " images per epoch";
                    if (architecture == Architecture.CNN) {
                        Files.write(onnx, service.onnx(runId));
                        note += "; exported to ONNX for onnxruntime";
                    }
                    row = new Row(stack, architecture.id(), task, round, trained.parameters(),
                            t.epochImagesPerSecond(), t.testAccuracy(), List.of(), Measure.peakRssKb(), note);
                } else {
                    try (InferenceEngine.LoadedEnsemble model = service.load(runId, architecture)) {
                        Measure.Forward forward = (pixels, count) -> model.logits(pixels, count)[0];
                        row = inferRow(stack, architecture.id(), round, -1, forward, workload, batches, seconds, "the /predict engine");
                    }
                }
            }
        } else if (stack.equals("onnxruntime-engine") && task.equals("share")) {
            System.out.println(JsonMapper.builder().build().writeValueAsString(share(data, options, engineThreads, epochs, trainImages)));
            return;
        } else if (stack.equals("onnxruntime-engine")) {
            // The service's own ONNX Runtime engine, on its export of the run that dl4j-cnn trained.
            try (Dl4jService service = new Dl4jService("--cnn.data-dir=" + data, "--cnn.inference.engine=onnx",
                    "--cnn.inference.threads-per-pass=" + engineThreads);
                 InferenceEngine.LoadedEnsemble model = service.load("bench-speed-cnn", Architecture.CNN)) {
                Measure.Forward forward = (pixels, count) -> model.logits(pixels, count)[0];
                row = inferRow(stack, "cnn", round, -1, forward, workload, batches, seconds,
                        "the /predict engine, ONNX Runtime, " + engineThreads + " intra-op thread(s)");
            }
        } else if (stack.equals("onnxruntime")) {
            try (OnnxRuntimePeer peer = new OnnxRuntimePeer(Files.readAllBytes(onnx), engineThreads)) {
                row = inferRow(stack, "cnn", round, peer.parameters(), peer::logits, workload, batches, seconds,
                        "dl4j-cnn's trained network, as the service exports it to ONNX; a bare session, " + engineThreads + " intra-op thread(s)");
            }
        } else {
            if (task.equals("members")) {
                // Fresh models trained one after another, as a single worker trains an ensemble's members.
                int members = Integer.parseInt(options.getOrDefault("members", "3"));
                long started = System.nanoTime();
                List<Double> accuracies = new ArrayList<>();
                for (int m = 0; m < members; m++) {
                    try (Peer peer = stack.equals("tensorflow") ? new TensorFlowPeer() : new PyTorchPeer()) {
                        accuracies.add(Measure.train(peer::trainStep, peer::logits, workload, epochs, 100).testAccuracy());
                    }
                }
                System.out.printf("{\"stack\":\"%s\",\"task\":\"members\",\"members\":%d,\"epochs\":%d,\"seconds\":%.2f,\"testAccuracies\":%s}%n",
                        stack, members, epochs, (System.nanoTime() - started) / 1e9, accuracies);
                return;
            }
            try (Peer peer = stack.equals("tensorflow") ? new TensorFlowPeer() : new PyTorchPeer()) {
                String threads = peer instanceof PyTorchPeer ? "; " + PyTorchPeer.threads() + " intra-op threads" : "";
                if (task.equals("train")) {
                    Measure.Training t = Measure.train(peer::trainStep, peer::logits, workload, epochs, 100);
                    row = new Row(stack, "cnn", task, round, peer.parameters(), t.epochImagesPerSecond(), t.testAccuracy(), List.of(),
                            Measure.peakRssKb(), trainImages + " images per epoch" + threads);
                } else {
                    row = inferRow(stack, "cnn", round, peer.parameters(), peer::logits, workload, batches, seconds, "untrained weights" + threads);
                }
            }
        }
        String line = JsonMapper.builder().build().writeValueAsString(row);
        Files.writeString(results, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println(line);
    }

    /** What training and serving each got of the cores while they ran side by side. */
    record Shared(String task, int engineThreads, int servingBatch, double trainImagesPerSecond, double servedImagesPerSecond,
                  double testAccuracy) {
    }

    /**
     * Trains a fresh cnn through the job's engine while another thread keeps the ONNX Runtime engine busy
     * with back-to-back passes at one batch size, the worst case for training; {@code --engine-threads=0}
     * trains alone. The trained baseline of {@code dl4j-cnn} is what is served.
     */
    private static Shared share(Path data, Map<String, String> options, int threads, int epochs, int trainImages) throws InterruptedException {
        int batch = Integer.parseInt(options.getOrDefault("serving-batch", "32"));
        try (Dl4jService service = new Dl4jService("--cnn.data-dir=" + data, "--cnn.inference.engine=onnx",
                "--cnn.inference.threads-per-pass=" + Math.max(1, threads));
             InferenceEngine.LoadedEnsemble model = service.load("bench-speed-cnn", Architecture.CNN)) {
            float[] pixels = new float[batch * Workload.PIXELS];
            LabeledImages test = service.testImages("mnist");
            for (int p = 0; p < pixels.length; p++) {
                pixels[p] = Byte.toUnsignedInt(test.pixels()[p]) / 255f;
            }
            AtomicBoolean training = new AtomicBoolean(true);
            AtomicLong served = new AtomicLong();
            Thread serving = new Thread(() -> {
                while (threads > 0 && training.get()) {
                    model.logits(pixels, batch);
                    served.addAndGet(batch);
                }
            }, "serving");
            long start = System.nanoTime();
            serving.start();
            Dl4jService.Trained trained = service.train("bench-share", Architecture.CNN, epochs, trainImages);
            training.set(false);
            double seconds = (System.nanoTime() - start) / 1e9;
            serving.join();
            List<Double> rates = trained.training().epochImagesPerSecond();
            return new Shared("share", threads, batch, rates.subList(1, rates.size()).stream().sorted().toList().get((rates.size() - 1) / 2),
                    served.get() / seconds, trained.training().testAccuracy());
        }
    }

    private static Row inferRow(String stack, String architecture, int round, long parameters, Measure.Forward forward,
                                Workload workload, int[] batches, double seconds, String note) {
        List<Measure.Timing> results = new ArrayList<>();
        for (int batch : batches) {
            results.add(Measure.inference(forward, workload.test(), batch, seconds));
        }
        return new Row(stack, architecture, "infer", round, parameters, List.of(), Measure.accuracy(forward, workload.test()),
                results, Measure.peakRssKb(), note);
    }
}
