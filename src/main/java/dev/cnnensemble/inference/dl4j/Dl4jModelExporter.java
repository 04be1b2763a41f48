package dev.cnnensemble.inference.dl4j;

import dev.cnnensemble.config.CnnProperties;
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
 * Writes a model's members from their checkpoints as one ONNX graph ({@link OnnxExport}) on the volume,
 * in {@code exports/<id>/}: {@code model.onnx}, then its manifest {@code model.onnx.json} with the
 * file's SHA-256 and the version of the weights, each written atomically. The manifest is written last,
 * so a file without one, or with one of other weights, is written again. Exports live beside the jobs'
 * checkpoints rather than among them, and one lock orders writing and deleting, so an export finishing
 * as its job is deleted neither brings the job's folder back nor stays behind.
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
    private final Path exportsDir;
    private final JsonMapper writer;
    private final JsonMapper reader;

    Dl4jModelExporter(CheckpointStores stores, CnnProperties properties, JsonMapper json) {
        this.stores = stores;
        this.exportsDir = properties.dataDir().resolve("exports");
        this.writer = json;
        this.reader = StoredJson.reader(json);
    }

    @Override
    public synchronized OnnxFile onnx(ModelDescriptor model) {
        Path dir = exportsDir.resolve(model.id());
        Path file = dir.resolve(FILE);
        CheckpointStore store = stores.forRun(model.id());
        // The checksums tell whether the file holds these weights; the networks are loaded only to write it.
        String version = TrainedMembers.version(store, model);
        Optional<Manifest> written = manifest(dir).filter(m -> m.version().equals(version) && Files.isRegularFile(file));
        if (written.isPresent()) {
            return written.get().onnxFile(file);
        }
        TrainedMembers members = TrainedMembers.load(store, model);
        try {
            long started = System.nanoTime();
            byte[] onnx = OnnxExport.ensemble(members.networks(), model.classNames().size(), model.id());
            AtomicFiles.writeBytes(file, onnx);
            String sha256 = Checksums.sha256(file);
            long activations = members.networks().stream().mapToLong(Network::activationsPerImage).max().orElse(0);
            Manifest manifest = new Manifest(FILE, sha256, onnx.length, members.version(), members.epoch(), model.ensembleSize(),
                    model.architecture().id(), activations, OnnxExport.IR_VERSION, OnnxExport.OPSET, Instant.now());
            AtomicFiles.writeBytes(dir.resolve(MANIFEST), writer.writeValueAsBytes(manifest));
            log.info("Wrote model {} as ONNX: {} bytes, SHA-256 {}, in {} ms", model.id(), onnx.length, sha256,
                    (System.nanoTime() - started) / 1_000_000);
            return manifest.onnxFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        } finally {
            members.close();
        }
    }

    @Override
    public synchronized void delete(String modelId) {
        Path dir = exportsDir.resolve(modelId);
        try {
            for (String name : new String[]{MANIFEST, FILE}) {
                Files.deleteIfExists(dir.resolve(name));
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the export of model " + modelId, e);
        }
    }

    private Optional<Manifest> manifest(Path dir) {
        Path manifest = dir.resolve(MANIFEST);
        return Files.isRegularFile(manifest) ? Optional.of(reader.readValue(manifest.toFile(), Manifest.class)) : Optional.empty();
    }
}
