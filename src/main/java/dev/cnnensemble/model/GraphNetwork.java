package dev.cnnensemble.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The tutorial's "Functional" form: a DL4J ComputationGraph, needed for skip connections. */
public final class GraphNetwork implements Network {

    private static final List<String> LOGITS_OUTPUT = List.of(LOGITS);

    private final Architecture architecture;
    final ComputationGraph graph;

    GraphNetwork(Architecture architecture, ComputationGraph graph) {
        this.architecture = architecture;
        this.graph = graph;
    }

    static GraphNetwork load(Architecture architecture, Path file) throws IOException {
        return new GraphNetwork(architecture, ModelSerializer.restoreComputationGraph(file.toFile(), true));
    }

    @Override
    public Architecture architecture() {
        return architecture;
    }

    @Override
    public void fit(INDArray features, INDArray labels) {
        graph.fit(new INDArray[]{features}, new INDArray[]{labels});
    }

    @Override
    public double lastLoss() {
        return graph.score();
    }

    @Override
    public INDArray logits(INDArray features) {
        return graph.output(LOGITS_OUTPUT, false, new INDArray[]{features}, null)[0];
    }

    @Override
    public long parameterCount() {
        return graph.numParams();
    }

    @Override
    public long activationsPerImage() {
        return graph.getConfiguration().getLayerActivationTypes(NetworkFactory.INPUT_TYPE).values().stream()
                .mapToLong(InputType::arrayElementsPerExample).sum();
    }

    @Override
    public int iteration() {
        return graph.getIterationCount();
    }

    @Override
    public int epoch() {
        return graph.getEpochCount();
    }

    @Override
    public void markEpochDone() {
        graph.incrementEpochCount();
    }

    @Override
    public NetworkSummary summary() {
        Map<String, InputType> outputs = graph.getConfiguration().getLayerActivationTypes(NetworkFactory.INPUT_TYPE);
        List<LayerSummary> rows = new ArrayList<>();
        for (int index : graph.topologicalSortOrder()) {
            GraphVertex vertex = graph.getVertices()[index];
            if (vertex.isInputVertex()) {
                continue;
            }
            String name = vertex.getVertexName();
            InputType output = outputs.get(name);
            if (!vertex.hasLayer()) {
                rows.add(new LayerSummary(name, vertex.getClass().getSimpleName(), NetworkFactory.shape(output), 0));
                continue;
            }
            org.deeplearning4j.nn.conf.layers.Layer conf = vertex.getLayer().conf().getLayer();
            List<String> inputs = graph.getConfiguration().getVertexInputs().get(name);
            InputType input = inputs.isEmpty() ? NetworkFactory.INPUT_TYPE : outputs.get(inputs.get(0));
            rows.add(new LayerSummary(name, conf.getClass().getSimpleName(), NetworkFactory.outputShape(conf, output, input),
                    vertex.getLayer().numParams()));
        }
        return new NetworkSummary(architecture, "ComputationGraph", rows, graph.numParams());
    }

    @Override
    public void save(Path file) throws IOException {
        ModelSerializer.writeModel(graph, file.toFile(), true);
    }

    @Override
    public void close() {
        graph.close();
    }

    @Override
    public List<Layer> layers() {
        return List.of(graph.getLayers());
    }
}
