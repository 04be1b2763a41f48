package dev.cnnensemble.inference.dl4j;

import dev.cnnensemble.inference.InferenceExceptions.NoModel;
import dev.cnnensemble.inference.ModelDescriptor;
import dev.cnnensemble.model.Network;
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
        List<String> checksums = new ArrayList<>();
        int epoch = Integer.MAX_VALUE;
        for (int m = 0; m < model.ensembleSize(); m++) {
            int member = m;
            Restored restored = store.latest(member, model.architecture()).orElseThrow(() -> new NoModel(
                    "model " + model.id() + " cannot be loaded: member " + member + " has no usable checkpoint under " + store.runDir()));
            networks.add(restored.network());
            checksums.add(restored.info().sha256());
            epoch = Math.min(epoch, restored.info().epoch());
        }
        return new TrainedMembers(networks, version(checksums), epoch);
    }

    void close() {
        networks.forEach(Network::close);
    }

    private static String version(List<String> checksums) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            checksums.forEach(c -> digest.update(c.getBytes(StandardCharsets.US_ASCII)));
            return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
