package dev.cnnensemble.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Guards the 5x: if a dependency change or a DL4J upgrade loses the oneDNN helpers (see
 * {@link OneDnn} and the {@code org.nd4j.nativeblas.Nd4jCpu} shim), this fails instead of training
 * silently getting slower.
 */
class OneDnnTest {

    /** Convolution and pooling: every layer type of these networks that uses a oneDNN helper in M2.1. */
    @Test
    void everyLayerWithAHelperRunsThroughOneDnnAfterTheFirstFit() {
        for (Architecture architecture : Architecture.values()) {
            Network network = NetworkFactory.create(architecture, 1, new Adam(1e-3));
            network.fit(Nd4j.rand(8, 784), Nd4j.eye(10).getRows(0, 1, 2, 3, 4, 5, 6, 7));

            assertThat(network.layersWithoutOneDnn()).as("%s's layers without their oneDNN helper", architecture).isEmpty();
            assertThat(network.layers()).as("%s has layers that the check covers", architecture)
                    .anyMatch(org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer.class::isInstance);
        }
    }

    /** cnn-bn's batch norms compute in BatchNormRelu; DL4J's own layer, which they replace, still finds its helper. */
    @Test
    void dl4jsBatchNormGetsItsHelperWhileCnnBnsFusedLayersNeedNone() {
        assertThat(NetworkFactory.create(Architecture.CNN_BN, 1, new Adam(1e-3)).layers())
                .filteredOn(org.deeplearning4j.nn.layers.normalization.BatchNormalization.class::isInstance)
                .hasSize(4).allMatch(BatchNormReluLayer.class::isInstance);

        MultiLayerNetwork dl4jBatchNorm = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new OutputLayer.Builder().nOut(10).build())
                .setInputType(NetworkFactory.INPUT_TYPE).build());
        dl4jBatchNorm.init();
        LayerHelper helper = ((org.deeplearning4j.nn.layers.normalization.BatchNormalization) dl4jBatchNorm.getLayer(1)).getHelper();
        assertThat(helper).isNotNull().extracting(h -> h.getClass().getSimpleName()).isEqualTo("MKLDNNBatchNormHelper");
    }

    @Test
    void aNewNetworkGetsItsOneDnnHelpersWithoutAnyFlag() {
        // Surefire passes no helpers flag, so only the default that NetworkFactory sets can turn them on.
        Network network = NetworkFactory.create(Architecture.CNN, 1, new Adam(1e-3));

        assertThat(network.layersWithoutOneDnn()).as("layers without oneDNN helpers before any fit").isEmpty();
        assertThat(org.nd4j.nativeblas.Nd4jCpu.Environment.getInstance().isUseMKLDNN())
                .as("the shim that DL4J's helper check reads reports oneDNN").isTrue();
    }
}
