package dev.cnnensemble.inference.dl4j;

import dev.cnnensemble.inference.ModelDescriptor;
import dev.cnnensemble.inference.ModelExporter;
import dev.cnnensemble.model.Network;
import dev.cnnensemble.model.OnnxExport;
import dev.cnnensemble.support.AtomicFiles;
import dev.cnnensemble.support.Checksums;
import dev.cnnensemble.support.StoredJson;
import dev.cnnensemble.training.dl4j.CheckpointStore;
import dev.cnnensemble.training.dl4j.CheckpointStores;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a model's members from their checkpoints as one ONNX graph ({@link OnnxExport}), next to them
 * on the volume: {@code model.onnx}, then its manifest {@code model.onnx.json} with the file's SHA-256
 * and the version of the weights, each written atomically. The manifest is written last, so a file
 * without one, or with one of other weights, is written again.
 */
@Component
class Dl4jModelExporter implements ModelExporter {

    private static final Logger log = LoggerFactory.getLogger(Dl4jModelExporter.class);
    static final String FILE = "model.onnx";
    static final String MANIFEST = FILE + ".json";

    /** What the manifest records. */
    record Manifest(String file, String sha256, long bytes, String version, int epoch, int members, String architecture,
                    long activationsPerImage, long irVersion, long opset, Instant writtenAt) {

        OnnxFile onnxFile(Path file) {
            return new OnnxFile(file, sha256, bytes, version, epoch, activationsPerImage);
        }
    }

    private final CheckpointStores stores;
    private final JsonMapper writer;
    private final JsonMapper reader;

    Dl4jModelExporter(CheckpointStores stores, JsonMapper json) {
        this.stores = stores;
        this.writer = json;
        this.reader = StoredJson.reader(json);
    }

    @Override
    public synchronized OnnxFile onnx(ModelDescriptor model) {
        CheckpointStore store = stores.forRun(model.id());
        Path file = store.runDir().resolve(FILE);
        TrainedMembers members = TrainedMembers.load(store, model);
        try {
            Optional<Manifest> written = manifest(store.runDir()).filter(m -> m.version().equals(members.version()) && Files.isRegularFile(file));
            if (written.isPresent()) {
                return written.get().onnxFile(file);
            }
            long started = System.nanoTime();
            byte[] onnx = OnnxExport.ensemble(members.networks(), model.classNames().size(), model.id());
            AtomicFiles.writeBytes(file, onnx);
            String sha256 = Checksums.sha256(file);
            long activations = members.networks().stream().mapToLong(Network::activationsPerImage).max().orElse(0);
            Manifest manifest = new Manifest(FILE, sha256, onnx.length, members.version(), members.epoch(), model.ensembleSize(),
                    model.architecture().id(), activations, OnnxExport.IR_VERSION, OnnxExport.OPSET, Instant.now());
            AtomicFiles.writeBytes(store.runDir().resolve(MANIFEST), writer.writeValueAsBytes(manifest));
            log.info("Wrote model {} as ONNX: {} bytes, SHA-256 {}, in {} ms", model.id(), onnx.length, sha256,
                    (System.nanoTime() - started) / 1_000_000);
            return manifest.onnxFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        } finally {
            members.close();
        }
    }

    private Optional<Manifest> manifest(Path runDir) throws IOException {
        Path manifest = runDir.resolve(MANIFEST);
        return Files.isRegularFile(manifest) ? Optional.of(reader.readValue(manifest.toFile(), Manifest.class)) : Optional.empty();
    }
}
