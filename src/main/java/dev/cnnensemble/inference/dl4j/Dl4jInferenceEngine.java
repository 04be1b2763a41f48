package dev.cnnensemble.inference.dl4j;

import static dev.cnnensemble.model.InputShape.PIXELS;

import dev.cnnensemble.inference.InferenceEngine;
import dev.cnnensemble.inference.InferenceProperties;
import dev.cnnensemble.inference.ModelDescriptor;
import dev.cnnensemble.model.Network;
import dev.cnnensemble.training.dl4j.CheckpointStores;

import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Serves a job's final checkpoints with DL4J ({@code cnn.inference.engine=dl4j}): the weights whose ensemble test accuracy the job
 * reported. Each pass copies the batch off-heap once and frees it, and every member's logits, at
 * once, so serving does not wait for the garbage collector to return native memory.
 */
@Component
@ConditionalOnProperty(name = "cnn.inference.engine", havingValue = "dl4j")
class Dl4jInferenceEngine implements InferenceEngine {

    private static final Logger log = LoggerFactory.getLogger(Dl4jInferenceEngine.class);

    private final CheckpointStores stores;
    private final int maxBatchSize;
    private final int threadsPerPass;

    Dl4jInferenceEngine(CheckpointStores stores, InferenceProperties inference) {
        this.stores = stores;
        this.maxBatchSize = inference.batching().maxBatchSize();
        this.threadsPerPass = inference.threadsPerPass();
    }

    @Override
    public LoadedEnsemble load(ModelDescriptor model) {
        TrainedMembers trained = TrainedMembers.load(stores.forRun(model.id()), model);
        List<Network> members = trained.networks();
        long parameters = members.stream().mapToLong(Network::parameterCount).sum();
        // Members run one after another on one thread, so they share its workspaces: one pass's
        // activations at the largest batch, held twice (DL4J's working and output workspaces).
        long activations = members.stream().mapToLong(Network::activationsPerImage).max().orElse(0) * maxBatchSize * 2;
        long bytes = (parameters + activations) * Float.BYTES;
        log.info("Loaded model {} ({}, {} members, epoch {}, {} parameters, about {} MB with activations)", model.id(),
                model.architecture(), members.size(), trained.epoch(), parameters, bytes >> 20);
        return new Dl4jEnsemble(members, trained.version(), trained.epoch(), bytes, threadsPerPass);
    }

    private record Dl4jEnsemble(List<Network> members, String version, int epoch, long memoryBytes, int threadsPerPass)
            implements LoadedEnsemble {

        /** The OpenMP thread count this thread was given; OpenMP keeps it per thread. */
        private static final ThreadLocal<Integer> THREADS_SET = new ThreadLocal<>();

        @Override
        public float[][][] logits(float[] images, int count) {
            if (threadsPerPass > 0 && !Integer.valueOf(threadsPerPass).equals(THREADS_SET.get())) {
                NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threadsPerPass);
                THREADS_SET.set(threadsPerPass);
            }
            float[][][] logits = new float[members.size()][][];
            INDArray features = Nd4j.create(images, new long[]{count, PIXELS}, DataType.FLOAT);
            try {
                for (int m = 0; m < members.size(); m++) {
                    INDArray out = members.get(m).logits(features);
                    logits[m] = out.toFloatMatrix();
                    release(out);
                }
            } finally {
                release(features);
            }
            return logits;
        }

        @Override
        public void close() {
            members.forEach(Network::close);
        }

        /** Frees an array's native memory now; views and workspace arrays are left to their owner. */
        private static void release(INDArray array) {
            if (array.closeable()) {
                array.close();
            }
        }
    }
}
