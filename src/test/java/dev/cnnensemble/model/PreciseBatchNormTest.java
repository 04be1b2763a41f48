package dev.cnnensemble.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnensemble.dataset.LabeledImages;
import dev.cnnensemble.dataset.RealData;
import dev.cnnensemble.dataset.RequiresMnist;

import java.util.List;

import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Precise batch norm on real digits: after recalibrating on a batch, each batch-norm layer in
 * inference mode normalises that batch exactly as training mode does with the batch's own statistics.
 */
@RequiresMnist
class PreciseBatchNormTest {

    @Test
    void inferenceModeThenNormalisesTheBatchExactlyAsTrainingModeDoes() {
        LabeledImages images = RealData.mnist().train().first(300);
        INDArray batch = DigitArrays.features(images);
        SequentialNetwork network = (SequentialNetwork) NetworkFactory.create(Architecture.CNN_BN, NetworkFactory.CLASSES, 7, new Adam(1e-3), 0.99);
        for (int step = 0; step < 3; step++) {
            network.fit(DigitArrays.features(images.range(step * 100, step * 100 + 100)), DigitArrays.labels(images.range(step * 100, step * 100 + 100)));
        }
        MultiLayerNetwork dl4j = network.dl4j;
        int firstBatchNorm = indexOfFirstBatchNorm(network);
        INDArray before = dl4j.feedForwardToLayer(firstBatchNorm, batch, false).get(firstBatchNorm + 1).dup();
        INDArray training = dl4j.feedForwardToLayer(firstBatchNorm, batch, true).get(firstBatchNorm + 1).dup();

        network.recalibrateBatchNorm(() -> List.of(batch.get(NDArrayIndex.interval(0, 150)),
                batch.get(NDArrayIndex.interval(150, 300))));
        INDArray after = dl4j.feedForwardToLayer(firstBatchNorm, batch, false).get(firstBatchNorm + 1);

        assertThat(before.equalsWithEps(training, 1e-3)).as("three steps at momentum 0.99 leave the running statistics far off").isFalse();
        assertThat(after.equalsWithEps(training, 1e-3)).as("max difference %s", Transforms.abs(after.sub(training)).maxNumber()).isTrue();
    }

    @Test
    void aNetworkWithoutBatchNormIsLeftAsItIs() {
        Network network = NetworkFactory.create(Architecture.CNN, 7, new Adam(1e-3));
        INDArray parameters = ((SequentialNetwork) network).dl4j.params().dup();

        network.recalibrateBatchNorm(() -> {
            throw new AssertionError("a network without batch norm asks for no batches");
        });

        assertThat(((SequentialNetwork) network).dl4j.params()).isEqualTo(parameters);
    }

    private static int indexOfFirstBatchNorm(Network network) {
        List<org.deeplearning4j.nn.api.Layer> layers = network.layers();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof BatchNormalization) {
                return i;
            }
        }
        throw new AssertionError("cnn-bn has no batch-norm layer");
    }
}
