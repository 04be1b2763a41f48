package dev.cnnensemble.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.ops.transforms.Transforms;

class NetworkFactoryTest {

    @Test
    void baselineHasTheTutorialsParameterCountsPerLayer() {
        Network cnn = NetworkFactory.create(Architecture.CNN, 1, new Adam(1e-3));
        NetworkSummary summary = cnn.summary();

        assertThat(summary.totalParameters()).isEqualTo(619_786);
        assertThat(cnn.parameterCount()).isEqualTo(619_786);
        assertThat(summary.layers().stream().filter(l -> l.parameters() > 0).map(LayerSummary::parameters))
                .containsExactly(320L, 18_496L, 73_856L, 524_544L, 2_570L);
        assertThat(summary.toTable()).contains("Total params: 619,786");
    }

    @Test
    void samePaddedPoolingTurnsSevenBySevenIntoFourByFour() {
        List<String> shapes = NetworkFactory.create(Architecture.CNN, 1, new Adam(1e-3)).summary().layers().stream()
                .map(LayerSummary::outputShape).toList();

        assertThat(shapes).containsExactly("(28, 28, 32)", "(14, 14, 32)", "(14, 14, 64)", "(7, 7, 64)",
                "(7, 7, 128)", "(4, 4, 128)", "(256)", "(10)", "(10)");
    }

    @Test
    void sequentialAndGraphFormsCountAndShapeTheSameLayersAlike() {
        Network sequential = NetworkFactory.create(Architecture.CNN, 1, new Adam(1e-3));
        Network graph = NetworkFactory.create(Architecture.RESNET, 1, new Adam(1e-3));
        INDArray batch = Nd4j.rand(3, 784);

        assertThat(sequential).isInstanceOf(SequentialNetwork.class);
        assertThat(graph).isInstanceOf(GraphNetwork.class);
        assertThat(graph.logits(batch).shape()).isEqualTo(sequential.logits(batch).shape()).isEqualTo(new long[]{3, 10});
        // The ResNet is the baseline with the bottleneck (1,040 + 2,320 + 1,088 parameters) after conv2.
        assertThat(graph.summary().layers().stream().filter(l -> l.parameters() > 0).map(LayerSummary::parameters))
                .containsExactly(320L, 18_496L, 1_040L, 2_320L, 1_088L, 73_856L, 524_544L, 2_570L);
        assertThat(graph.summary().layers()).extracting(LayerSummary::outputShape).containsExactly(
                "(28, 28, 32)", "(14, 14, 32)", "(14, 14, 64)", "(14, 14, 16)", "(14, 14, 16)", "(14, 14, 64)", "(14, 14, 64)",
                "(14, 14, 64)", "(7, 7, 64)", "(7, 7, 128)", "(4, 4, 128)", "(256)", "(10)", "(10)");
        // conv1 28x28x32, pool 14x14x32, conv2 14x14x64, pool 7x7x64, conv3 7x7x128, pool 4x4x128, 256, 10 logits, 10 softmax
        long perImage = 25_088 + 6_272 + 12_544 + 3_136 + 6_272 + 2_048 + 256 + 10 + 10;
        assertThat(sequential.activationsPerImage()).isEqualTo(perImage);
        // plus the bottleneck's 14x14x16 twice and 14x14x64 three times (expand, add, relu), and the graph's input vertex
        assertThat(graph.activationsPerImage()).isEqualTo(perImage + 2 * 3_136 + 3 * 12_544 + 784);
    }

    @Test
    void batchNormVariantAndResNetReportTheirParameterCounts() {
        Network bn = NetworkFactory.create(Architecture.CNN_BN, 1, new Adam(1e-3));
        Network resnet = NetworkFactory.create(Architecture.RESNET, 1, new Adam(1e-3));

        // Batch norm adds gamma, beta, mean and variance per channel: 4 x (32 + 64 + 128 + 256).
        assertThat(bn.parameterCount()).isEqualTo(619_786 + 4 * (32 + 64 + 128 + 256));
        // Bottleneck 64 -> 16 -> 16 -> 64: 1,040 + 2,320 + 1,088 parameters on top of the baseline.
        assertThat(resnet.parameterCount()).isEqualTo(619_786 + 1_040 + 2_320 + 1_088);
        assertThat(resnet.summary().layers()).extracting(LayerSummary::name).contains("res_add", "res_relu");
        assertThat(resnet.summary().graphType()).isEqualTo("ComputationGraph");
        assertThat(resnet.summary().layers()).last().extracting(LayerSummary::outputShape).isEqualTo("(10)");
        assertThat(bn.summary().layers()).last().extracting(LayerSummary::outputShape).isEqualTo("(10)");
    }

    @Test
    void logitsAreThePreSoftmaxActivationsOfTheTrainedNetwork() {
        for (Architecture architecture : Architecture.values()) {
            Network network = NetworkFactory.create(architecture, NetworkFactory.CLASSES, 7, new Adam(1e-3), 0.9);
            INDArray features = Nd4j.rand(4, 784);
            INDArray labels = Nd4j.eye(10).getRows(1, 2, 3, 4);
            network.logits(features);
            for (int step = 0; step < 3; step++) {
                network.fit(features, labels);
            }

            INDArray logits = network.logits(features);
            INDArray probabilities = network instanceof SequentialNetwork s ? s.dl4j.output(features, false)
                    : ((GraphNetwork) network).dl4j.outputSingle(false, features);

            assertThat(logits.shape()).isEqualTo(new long[]{4, 10});
            assertThat(Transforms.softmax(logits, true).equalsWithEps(probabilities, 1e-5))
                    .as("%s: softmax of the logits equals the network's own output after training", architecture).isTrue();
        }
    }

    @Test
    void everyArchitectureHasOneOutputPerClassOfItsDataset() {
        for (Architecture architecture : Architecture.values()) {
            Network network = NetworkFactory.create(architecture, 5, 7, new Adam(1e-3), 0.9);
            INDArray features = Nd4j.rand(3, 784);

            network.fit(features, Nd4j.eye(5).getRows(0, 2, 4));

            assertThat(network.logits(features).shape()).as(architecture.id()).isEqualTo(new long[]{3, 5});
            assertThat(network.summary().layers()).last().extracting(LayerSummary::outputShape).isEqualTo("(5)");
        }
    }
}
