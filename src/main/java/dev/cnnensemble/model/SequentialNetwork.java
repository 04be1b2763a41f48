package dev.cnnensemble.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The tutorial's "Sequential" form: a DL4J MultiLayerNetwork. */
public final class SequentialNetwork implements Network {

    private final Architecture architecture;
    final MultiLayerNetwork net;
    private MultiLayerNetwork logitsTwin;
    private INDArray twinParameters;

    SequentialNetwork(Architecture architecture, MultiLayerNetwork net) {
        this.architecture = architecture;
        this.net = net;
        if (!LOGITS.equals(net.getLayer(net.getnLayers() - 2).conf().getLayer().getLayerName())) {
            throw new IllegalArgumentException("the layer before the loss must be named " + LOGITS);
        }
    }

    static SequentialNetwork load(Architecture architecture, Path file) throws IOException {
        return new SequentialNetwork(architecture, ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true));
    }

    @Override
    public Architecture architecture() {
        return architecture;
    }

    @Override
    public void fit(INDArray features, INDArray labels) {
        net.fit(features, labels);
    }

    @Override
    public double lastLoss() {
        return net.score();
    }

    /**
     * Runs a twin network without the parameter-free loss layer, on the same parameter array, so
     * that DL4J's inference workspace holds the intermediate activations and only the logits leave
     * it. ({@code feedForwardToLayer} detaches every activation: about 200 MB off-heap per 1,000
     * images; {@code activateSelectedLayers} reads stale layer inputs in M2.1.)
     */
    @Override
    public INDArray logits(INDArray features) {
        if (logitsTwin == null || twinParameters != net.params()) {
            MultiLayerConfiguration conf = net.getLayerWiseConfigurations().clone();
            conf.getConfs().remove(conf.getConfs().size() - 1);
            logitsTwin = new MultiLayerNetwork(conf);
            twinParameters = net.params();
            logitsTwin.init(twinParameters, false);
        }
        return logitsTwin.output(features, false);
    }

    @Override
    public long parameterCount() {
        return net.numParams();
    }

    @Override
    public long activationsPerImage() {
        return net.getLayerWiseConfigurations().getLayerActivationTypes(NetworkFactory.INPUT_TYPE).stream()
                .mapToLong(InputType::arrayElementsPerExample).sum();
    }

    @Override
    public int iteration() {
        return net.getIterationCount();
    }

    @Override
    public int epoch() {
        return net.getEpochCount();
    }

    @Override
    public void markEpochDone() {
        net.incrementEpochCount();
    }

    @Override
    public NetworkSummary summary() {
        List<InputType> outputs = net.getLayerWiseConfigurations().getLayerActivationTypes(NetworkFactory.INPUT_TYPE);
        List<LayerSummary> rows = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer layer = net.getLayer(i);
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            InputType input = i == 0 ? NetworkFactory.INPUT_TYPE : outputs.get(i - 1);
            rows.add(new LayerSummary(conf.getLayerName(), conf.getClass().getSimpleName(),
                    NetworkFactory.outputShape(conf, outputs.get(i), input), layer.numParams()));
        }
        return new NetworkSummary(architecture, "MultiLayerNetwork", rows, net.numParams());
    }

    @Override
    public void save(Path file) throws IOException {
        ModelSerializer.writeModel(net, file.toFile(), true);
    }

    @Override
    public void close() {
        logitsTwin = null;
        net.close();
    }

    @Override
    public List<Layer> layers() {
        return List.of(net.getLayers());
    }
}
