package dev.cnnensemble.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.jspecify.annotations.Nullable;

/**
 * What the two DL4J forms do alike, once: most through DL4J's common {@link Model} interface, the
 * rest through a {@link Form}. The subclasses supply what MultiLayerNetwork and ComputationGraph do
 * differently.
 */
abstract sealed class Dl4jNetwork<M extends Model> implements Network permits SequentialNetwork, GraphNetwork {

    /**
     * The methods both DL4J classes have by name but no DL4J interface declares: the layers, and the
     * counters saved with the model.
     */
    record Form<M>(String graphType, Function<M, Layer[]> layers, ToIntFunction<M> iterationCount,
                   Consumer<M> incrementEpochCount) {
    }

    private final Architecture architecture;
    private final Form<M> form;
    final M dl4j;

    Dl4jNetwork(Architecture architecture, Form<M> form, M dl4j) {
        this.architecture = architecture;
        this.form = form;
        this.dl4j = dl4j;
    }

    /** The type of every layer's or vertex's output, given {@link NetworkFactory#INPUT_TYPE}. */
    abstract Collection<InputType> activationTypes();

    /** The summary's rows, in the order a forward pass visits them. */
    abstract List<LayerSummary> layerSummaries();

    /** What the layer receives for these features in inference mode. */
    abstract INDArray inputOf(Layer layer, INDArray features);

    /**
     * One layer or vertex in the order a forward pass visits them: what it reads (the other steps' names,
     * or {@link #NETWORK_INPUT}), the preprocessor DL4J applies to its input, and the layer or vertex.
     */
    record Step(String name, List<String> inputs, @Nullable InputPreProcessor preprocessor, @Nullable Layer layer,
                org.deeplearning4j.nn.conf.graph.@Nullable GraphVertex vertex) {
    }

    /** The name a step's inputs give the network's own input. */
    static final String NETWORK_INPUT = "input";

    /** The network as a list of steps, for writing it in another form (ONNX). */
    abstract List<Step> steps();

    @Override
    public void recalibrateBatchNorm(Supplier<List<INDArray>> featureBatches) {
        List<BatchNormalization> batchNorms = layers().stream()
                .filter(BatchNormalization.class::isInstance).map(BatchNormalization.class::cast).toList();
        if (batchNorms.isEmpty()) {
            return;
        }
        List<INDArray> batches = featureBatches.get();
        for (BatchNormalization batchNorm : batchNorms) {
            BatchNormStatistics statistics = new BatchNormStatistics();
            batches.forEach(batch -> statistics.add(inputOf(batchNorm, batch)));
            statistics.writeTo(batchNorm);
        }
    }

    @Override
    public Architecture architecture() {
        return architecture;
    }

    @Override
    public double lastLoss() {
        return dl4j.score();
    }

    @Override
    public long parameterCount() {
        return dl4j.numParams();
    }

    @Override
    public long activationsPerImage() {
        return activationTypes().stream().mapToLong(InputType::arrayElementsPerExample).sum();
    }

    @Override
    public int iteration() {
        return form.iterationCount().applyAsInt(dl4j);
    }

    @Override
    public void markEpochDone() {
        form.incrementEpochCount().accept(dl4j);
    }

    @Override
    public List<Layer> layers() {
        return List.of(form.layers().apply(dl4j));
    }

    @Override
    public NetworkSummary summary() {
        return new NetworkSummary(architecture, form.graphType(), layerSummaries(), dl4j.numParams());
    }

    @Override
    public void save(Path file) throws IOException {
        ModelSerializer.writeModel(dl4j, file.toFile(), true);
    }

    @Override
    public void close() {
        dl4j.close();
    }

    /** A summary row with a Keras-style output shape. */
    static LayerSummary layerSummary(String name, org.deeplearning4j.nn.conf.layers.Layer layer, InputType output, long parameters) {
        return new LayerSummary(name, layer.getClass().getSimpleName(), shape(output), parameters);
    }

    /** Keras-style shape, e.g. {@code (14, 14, 32)} or {@code (256)}. */
    static String shape(InputType type) {
        if (type instanceof InputType.InputTypeConvolutional c) {
            return "(" + c.getHeight() + ", " + c.getWidth() + ", " + c.getChannels() + ")";
        }
        if (type instanceof InputType.InputTypeConvolutionalFlat f) {
            return "(" + f.getFlattenedSize() + ")";
        }
        if (type instanceof InputType.InputTypeFeedForward f) {
            return "(" + f.getSize() + ")";
        }
        return String.valueOf(type);
    }
}
