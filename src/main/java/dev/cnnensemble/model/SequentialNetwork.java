package dev.cnnensemble.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The tutorial's "Sequential" form: a DL4J MultiLayerNetwork. */
public final class SequentialNetwork implements Network {

    private final Architecture architecture;
    private final MultiLayerNetwork net;
    private final int logitsIndex;

    SequentialNetwork(Architecture architecture, MultiLayerNetwork net) {
        this.architecture = architecture;
        this.net = net;
        this.logitsIndex = indexOf(net, LOGITS);
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

    @Override
    public INDArray logits(INDArray features) {
        // activateSelectedLayers would be leaner but reads stale layer inputs in M2.1; element 0 is the input.
        return net.feedForwardToLayer(logitsIndex, features, false).get(logitsIndex + 1);
    }

    @Override
    public long parameterCount() {
        return net.numParams();
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
            rows.add(new LayerSummary(layer.conf().getLayer().getLayerName(), layer.conf().getLayer().getClass().getSimpleName(),
                    NetworkFactory.shape(outputs.get(i)), layer.numParams()));
        }
        return new NetworkSummary(architecture, "MultiLayerNetwork", rows, net.numParams());
    }

    @Override
    public void save(Path file) throws IOException {
        ModelSerializer.writeModel(net, file.toFile(), true);
    }

    @Override
    public List<Layer> layers() {
        return List.of(net.getLayers());
    }

    private static int indexOf(MultiLayerNetwork net, String name) {
        for (int i = 0; i < net.getnLayers(); i++) {
            if (name.equals(net.getLayer(i).conf().getLayer().getLayerName())) {
                return i;
            }
        }
        throw new IllegalStateException("network has no layer named " + name);
    }
}
