package dev.cnnensemble.training.dl4j;

import dev.cnnensemble.model.Architecture;
import dev.cnnensemble.model.Network;
import dev.cnnensemble.model.NetworkFactory;
import dev.cnnensemble.support.AtomicFiles;
import dev.cnnensemble.support.Checksums;
import dev.cnnensemble.training.CheckpointInfo;
import dev.cnnensemble.training.MemberEpoch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.springframework.modulith.NamedInterface;
import org.slf4j.LoggerFactory;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The only reader and writer of checkpoints. One run's layout:
 * <pre>
 * &lt;run&gt;/member-&lt;k&gt;/epoch-&lt;n&gt;.zip        model, Adam state and counters after epoch n
 * &lt;run&gt;/member-&lt;k&gt;/epoch-&lt;n&gt;-step-&lt;s&gt;.zip  the same, s steps into epoch n+1 (on cancel)
 * &lt;run&gt;/member-&lt;k&gt;/best.zip           the epoch with the best selection accuracy
 * &lt;run&gt;/member-&lt;k&gt;/manifest.json      what the files are, with SHA-256 and metrics
 * &lt;run&gt;/member-&lt;k&gt;/history.json       the member's figures, one entry per completed epoch
 * &lt;run&gt;/member-&lt;k&gt;/logits-&lt;n&gt;.bin      its logits on the evaluation sets after epoch n, kept for
 *                                     the ensemble's figures, which need every member's
 * </pre>
 * Every file is written atomically; a checkpoint whose checksum or content is bad is skipped in
 * favour of the one before it.
 */
@NamedInterface("checkpoints")
public final class CheckpointStore {

    private static final Logger log = LoggerFactory.getLogger(CheckpointStore.class);
    private static final String MANIFEST = "manifest.json";
    private static final String BEST = "best.zip";

    private final Path runDir;
    private final int keepLast;
    private final JsonMapper json;

    public CheckpointStore(Path runDir, int keepLast, JsonMapper json) {
        if (keepLast < 1) {
            throw new IllegalArgumentException("keepLast must be at least 1");
        }
        this.runDir = runDir;
        this.keepLast = keepLast;
        this.json = json;
    }

    /** What a member's manifest records. */
    public record MemberManifest(int member, List<CheckpointInfo> checkpoints, CheckpointInfo best) {
    }

    /** A network restored from a checkpoint, with what the checkpoint says about it. */
    public record Restored(Network network, CheckpointInfo info) {
    }

    public Path runDir() {
        return runDir;
    }

    /** Saves a member's state and returns its manifest entry; prunes what is no longer kept. */
    public synchronized CheckpointInfo save(Network network, CheckpointInfo draft) throws IOException {
        Path memberDir = memberDir(draft.member());
        String fileName = draft.atEpochBoundary() ? "epoch-" + draft.epoch() + ".zip" : "epoch-" + draft.epoch() + "-step-" + draft.step() + ".zip";
        Path file = memberDir.resolve(fileName);
        AtomicFiles.write(file, network::save);
        CheckpointInfo saved = new CheckpointInfo(draft.member(), draft.epoch(), draft.step(), fileName, Checksums.sha256(file),
                Files.size(file), draft.iteration(), draft.learningRate(), draft.seed(), draft.partialLoss(), draft.metrics(), draft.createdAt());

        MemberManifest manifest = manifest(draft.member());
        List<CheckpointInfo> entries = new ArrayList<>(manifest.checkpoints());
        entries.removeIf(c -> c.file().equals(fileName));
        entries.add(saved);
        entries.sort(ORDER);
        CheckpointInfo best = manifest.best();
        if (saved.metrics() != null && (best == null || saved.metrics().selectionAccuracy() > best.metrics().selectionAccuracy())) {
            Files.copy(file, memberDir.resolve(".best.tmp"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            AtomicFiles.moveIntoPlace(memberDir.resolve(".best.tmp"), memberDir.resolve(BEST));
            best = saved;
        }
        List<CheckpointInfo> kept = retained(entries);
        writeManifest(new MemberManifest(draft.member(), kept, best));
        for (CheckpointInfo dropped : entries) {
            if (!kept.contains(dropped)) {
                Files.deleteIfExists(memberDir.resolve(dropped.file()));
            }
        }
        return saved;
    }

    /** The last {@code keepLast} epoch checkpoints, plus a mid-epoch one only while it is the newest. */
    private List<CheckpointInfo> retained(List<CheckpointInfo> sorted) {
        List<CheckpointInfo> boundaries = sorted.stream().filter(CheckpointInfo::atEpochBoundary).toList();
        List<CheckpointInfo> kept = new ArrayList<>(boundaries.subList(Math.max(0, boundaries.size() - keepLast), boundaries.size()));
        CheckpointInfo newest = sorted.get(sorted.size() - 1);
        if (!newest.atEpochBoundary()) {
            kept.add(newest);
        }
        return kept;
    }

    /** The newest checkpoint of a member that verifies and loads, trying older ones on failure. */
    public Optional<Restored> latest(int member, Architecture architecture) {
        return verifiedNewestFirst(member).map(info -> {
            Path file = memberDir(member).resolve(info.file());
            try {
                return new Restored(NetworkFactory.load(architecture, file), info);
            } catch (IOException | RuntimeException e) {
                log.warn("Checkpoint {} cannot be loaded ({}); trying the one before it", file, e.toString());
                return null;
            }
        }).filter(Objects::nonNull).findFirst();
    }

    /** The newest checkpoint of a member whose file matches its SHA-256, without loading it. */
    public Optional<CheckpointInfo> latestVerified(int member) {
        return verifiedNewestFirst(member).findFirst();
    }

    /** A member's checkpoints, newest first, each checked against its SHA-256 only when the stream reaches it. */
    private Stream<CheckpointInfo> verifiedNewestFirst(int member) {
        List<CheckpointInfo> newestFirst = new ArrayList<>(manifest(member).checkpoints());
        newestFirst.sort(ORDER.reversed());
        return newestFirst.stream().filter(info -> {
            Path file = memberDir(member).resolve(info.file());
            try {
                if (!Files.isRegularFile(file)) {
                    log.warn("Checkpoint {} is missing; trying the one before it", file);
                    return false;
                }
                if (!Checksums.sha256(file).equals(info.sha256())) {
                    log.warn("Checkpoint {} does not match its SHA-256 (truncated or corrupt); trying the one before it", file);
                    return false;
                }
                return true;
            } catch (RuntimeException e) {
                log.warn("Checkpoint {} cannot be read ({}); trying the one before it", file, e.toString());
                return false;
            }
        });
    }

    public synchronized MemberManifest manifest(int member) {
        Path file = memberDir(member).resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            return new MemberManifest(member, List.of(), null);
        }
        try {
            return json.readValue(file.toFile(), MemberManifest.class);
        } catch (JacksonException e) {
            log.error("Manifest {} is unreadable ({}); the member starts from scratch", file, e.getOriginalMessage());
            return new MemberManifest(member, List.of(), null);
        }
    }

    /** Every kept checkpoint of every member, oldest first. */
    public List<CheckpointInfo> all(int members) {
        return IntStream.range(0, members).boxed()
                .flatMap(m -> manifest(m).checkpoints().stream())
                .sorted(ORDER.thenComparingInt(CheckpointInfo::member))
                .toList();
    }

    /** The member's completed epochs, as far as its history file goes. */
    public List<MemberEpoch> history(int member) {
        Path file = memberDir(member).resolve("history.json");
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        return List.of(json.readValue(file.toFile(), MemberEpoch[].class));
    }

    public void saveHistory(int member, List<MemberEpoch> history) throws IOException {
        AtomicFiles.writeBytes(memberDir(member).resolve("history.json"), json.writeValueAsBytes(history));
    }

    /** Writes a member's logits after an epoch: each split as its row count, column count and floats. */
    public void saveLogits(int member, int epoch, List<float[][]> splits) throws IOException {
        int floats = splits.stream().mapToInt(s -> s.length == 0 ? 0 : s.length * s[0].length).sum();
        ByteBuffer buffer = ByteBuffer.allocate(4 + splits.size() * 8 + floats * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(splits.size());
        for (float[][] split : splits) {
            buffer.putInt(split.length).putInt(split.length == 0 ? 0 : split[0].length);
            for (float[] row : split) {
                buffer.asFloatBuffer().put(row);
                buffer.position(buffer.position() + row.length * 4);
            }
        }
        AtomicFiles.writeBytes(logitsFile(member, epoch), buffer.array());
    }

    public List<float[][]> logits(int member, int epoch) {
        Path file = logitsFile(member, epoch);
        try {
            ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            int count = buffer.getInt();
            List<float[][]> splits = new ArrayList<>(count);
            for (int s = 0; s < count; s++) {
                float[][] split = new float[buffer.getInt()][];
                int cols = buffer.getInt();
                for (int r = 0; r < split.length; r++) {
                    split[r] = new float[cols];
                    buffer.asFloatBuffer().get(split[r]);
                    buffer.position(buffer.position() + cols * 4);
                }
                splits.add(split);
            }
            return splits;
        } catch (IOException e) {
            throw new UncheckedIOException("the logits of member " + member + " after epoch " + epoch + " cannot be read", e);
        }
    }

    private Path logitsFile(int member, int epoch) {
        return memberDir(member).resolve("logits-" + epoch + ".bin");
    }

    /** Removes the run's files. */
    public void deleteAll() throws IOException {
        if (!Files.exists(runDir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(runDir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    Path memberDir(int member) {
        return runDir.resolve("member-" + member);
    }

    private void writeManifest(MemberManifest manifest) throws IOException {
        AtomicFiles.writeBytes(memberDir(manifest.member()).resolve(MANIFEST), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
    }

    private static final Comparator<CheckpointInfo> ORDER = Comparator.comparingInt(CheckpointInfo::epoch).thenComparingInt(CheckpointInfo::step);
}
