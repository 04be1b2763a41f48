package dev.cnnensemble.inference.dl4j;

import dev.cnnensemble.inference.InferenceExceptions.NoModel;
import dev.cnnensemble.inference.ModelDescriptor;
import dev.cnnensemble.model.Network;
import dev.cnnensemble.training.CheckpointInfo;
import dev.cnnensemble.training.dl4j.CheckpointStore;
import dev.cnnensemble.training.dl4j.CheckpointStore.Restored;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A trained ensemble's members as its job left them: the latest checkpoint of each, the weights whose
 * test accuracy the job reported.
 *
 * @param version the first 12 hex digits of a SHA-256 over the members' checkpoint checksums
 * @param epoch   the completed epochs of the checkpoints (the lowest, should members differ)
 */
record TrainedMembers(List<Network> networks, String version, int epoch) {

    static TrainedMembers load(CheckpointStore store, ModelDescriptor model) {
        List<Network> networks = new ArrayList<>();
        List<CheckpointInfo> checkpoints = new ArrayList<>();
        for (int m = 0; m < model.ensembleSize(); m++) {
            int member = m;
            Restored restored = store.latest(member, model.architecture()).orElseThrow(() -> unusable(store, model, member));
            networks.add(restored.network());
            checkpoints.add(restored.info());
        }
        return new TrainedMembers(networks, version(checkpoints), checkpoints.stream().mapToInt(CheckpointInfo::epoch).min().orElseThrow());
    }

    /** The version that {@link #load} would report, from the checkpoints' files and checksums alone: no network is loaded. */
    static String version(CheckpointStore store, ModelDescriptor model) {
        List<CheckpointInfo> checkpoints = new ArrayList<>();
        for (int m = 0; m < model.ensembleSize(); m++) {
            int member = m;
            checkpoints.add(store.latestVerified(member).orElseThrow(() -> unusable(store, model, member)));
        }
        return version(checkpoints);
    }

    private static NoModel unusable(CheckpointStore store, ModelDescriptor model, int member) {
        return new NoModel("model " + model.id() + " cannot be loaded: member " + member + " has no usable checkpoint under " + store.runDir());
    }

    void close() {
        networks.forEach(Network::close);
    }

    private static String version(List<CheckpointInfo> checkpoints) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            checkpoints.forEach(c -> digest.update(c.sha256().getBytes(StandardCharsets.US_ASCII)));
            return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
