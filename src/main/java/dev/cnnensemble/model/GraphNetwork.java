package dev.cnnensemble.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The tutorial's "Functional" form: a DL4J ComputationGraph, needed for skip connections. */
public final class GraphNetwork extends Dl4jNetwork<ComputationGraph> {

    private static final Form<ComputationGraph> FORM = new Form<>("ComputationGraph", ComputationGraph::getLayers,
            ComputationGraph::getIterationCount, ComputationGraph::incrementEpochCount);
    private static final List<String> LOGITS_OUTPUT = List.of(LOGITS);

    GraphNetwork(Architecture architecture, ComputationGraph graph) {
        super(architecture, FORM, graph);
    }

    static GraphNetwork load(Architecture architecture, Path file) throws IOException {
        return new GraphNetwork(architecture, ModelSerializer.restoreComputationGraph(file.toFile(), true));
    }

    @Override
    public void fit(INDArray features, INDArray labels) {
        dl4j.fit(new INDArray[]{features}, new INDArray[]{labels});
    }

    @Override
    public INDArray logits(INDArray features) {
        return dl4j.output(LOGITS_OUTPUT, false, new INDArray[]{features}, null)[0];
    }

    @Override
    INDArray inputOf(Layer layer, INDArray features) {
        String input = dl4j.getConfiguration().getVertexInputs().get(layer.conf().getLayer().getLayerName()).get(0);
        return dl4j.getConfiguration().getNetworkInputs().contains(input) ? features
                : dl4j.output(List.of(input), false, new INDArray[]{features}, null)[0];
    }

    @Override
    List<Step> steps() {
        ComputationGraphConfiguration conf = dl4j.getConfiguration();
        List<Step> steps = new ArrayList<>();
        for (int index : dl4j.topologicalSortOrder()) {
            GraphVertex vertex = dl4j.getVertices()[index];
            if (vertex.isInputVertex()) {
                continue;
            }
            String name = vertex.getVertexName();
            List<String> inputs = conf.getVertexInputs().get(name).stream()
                    .map(input -> conf.getNetworkInputs().contains(input) ? NETWORK_INPUT : input).toList();
            org.deeplearning4j.nn.conf.graph.GraphVertex vertexConf = conf.getVertices().get(name);
            InputPreProcessor preprocessor = vertexConf instanceof LayerVertex layerVertex ? layerVertex.getPreProcessor() : null;
            steps.add(new Step(name, inputs, preprocessor, vertex.hasLayer() ? vertex.getLayer() : null, vertexConf));
        }
        return steps;
    }

    @Override
    Collection<InputType> activationTypes() {
        return dl4j.getConfiguration().getLayerActivationTypes(NetworkFactory.INPUT_TYPE).values();
    }

    @Override
    List<LayerSummary> layerSummaries() {
        Map<String, InputType> outputs = dl4j.getConfiguration().getLayerActivationTypes(NetworkFactory.INPUT_TYPE);
        List<LayerSummary> rows = new ArrayList<>();
        for (int index : dl4j.topologicalSortOrder()) {
            GraphVertex vertex = dl4j.getVertices()[index];
            if (vertex.isInputVertex()) {
                continue;
            }
            String name = vertex.getVertexName();
            InputType output = outputs.get(name);
            if (!vertex.hasLayer()) {
                rows.add(new LayerSummary(name, vertex.getClass().getSimpleName(), shape(output), 0));
                continue;
            }
            rows.add(layerSummary(name, vertex.getLayer().conf().getLayer(), output, vertex.getLayer().numParams()));
        }
        return rows;
    }
}
