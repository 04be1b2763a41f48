package dev.cnnensemble.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The tutorial's "Sequential" form: a DL4J MultiLayerNetwork. */
public final class SequentialNetwork extends Dl4jNetwork<MultiLayerNetwork> {

    private static final Form<MultiLayerNetwork> FORM = new Form<>("MultiLayerNetwork", MultiLayerNetwork::getLayers,
            MultiLayerNetwork::getIterationCount, MultiLayerNetwork::incrementEpochCount);

    private MultiLayerNetwork logitsTwin;
    private INDArray twinParameters;

    SequentialNetwork(Architecture architecture, MultiLayerNetwork net) {
        super(architecture, FORM, net);
        if (!LOGITS.equals(net.getLayer(net.getnLayers() - 2).conf().getLayer().getLayerName())) {
            throw new IllegalArgumentException("the layer before the loss must be named " + LOGITS);
        }
    }

    static SequentialNetwork load(Architecture architecture, Path file) throws IOException {
        return new SequentialNetwork(architecture, ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true));
    }

    @Override
    public void fit(INDArray features, INDArray labels) {
        dl4j.fit(features, labels);
    }

    /**
     * Runs a twin network without the parameter-free loss layer, on the same parameter array, so
     * that DL4J's inference workspace holds the intermediate activations and only the logits leave
     * it. ({@code feedForwardToLayer} detaches every activation: about 200 MB off-heap per 1,000
     * images; {@code activateSelectedLayers} reads stale layer inputs in M2.1.)
     */
    @Override
    public INDArray logits(INDArray features) {
        if (logitsTwin == null || twinParameters != dl4j.params()) {
            MultiLayerConfiguration conf = dl4j.getLayerWiseConfigurations().clone();
            conf.getConfs().remove(conf.getConfs().size() - 1);
            logitsTwin = new MultiLayerNetwork(conf);
            twinParameters = dl4j.params();
            logitsTwin.init(twinParameters, false);
        }
        return logitsTwin.output(features, false);
    }

    @Override
    List<Step> steps() {
        List<Step> steps = new ArrayList<>();
        String previous = NETWORK_INPUT;
        for (Layer layer : dl4j.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            steps.add(new Step(name, List.of(previous), dl4j.getLayerWiseConfigurations().getInputPreProcess(layer.getIndex()), layer, null));
            previous = name;
        }
        return steps;
    }

    @Override
    INDArray inputOf(Layer layer, INDArray features) {
        int index = layer.getIndex();
        return index == 0 ? features : dl4j.feedForwardToLayer(index - 1, features, false).get(index);
    }

    @Override
    public void close() {
        logitsTwin = null;
        super.close();
    }

    @Override
    Collection<InputType> activationTypes() {
        return dl4j.getLayerWiseConfigurations().getLayerActivationTypes(NetworkFactory.INPUT_TYPE);
    }

    @Override
    List<LayerSummary> layerSummaries() {
        List<InputType> outputs = dl4j.getLayerWiseConfigurations().getLayerActivationTypes(NetworkFactory.INPUT_TYPE);
        List<LayerSummary> rows = new ArrayList<>();
        for (int i = 0; i < dl4j.getnLayers(); i++) {
            Layer layer = dl4j.getLayer(i);
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            rows.add(layerSummary(conf.getLayerName(), conf, outputs.get(i), layer.numParams()));
        }
        return rows;
    }
}
