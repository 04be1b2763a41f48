package dev.cnnensemble.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.protobuf.ByteString;

import onnx.OnnxMl.AttributeProto;
import onnx.OnnxMl.GraphProto;
import onnx.OnnxMl.ModelProto;
import onnx.OnnxMl.NodeProto;
import onnx.OnnxMl.OperatorSetIdProto;
import onnx.OnnxMl.StringStringEntryProto;
import onnx.OnnxMl.TensorProto;
import onnx.OnnxMl.TensorShapeProto;
import onnx.OnnxMl.TypeProto;
import onnx.OnnxMl.ValueInfoProto;

/**
 * Writes a trained ensemble as one ONNX graph (IR version 8, opset 13) with the ONNX protobuf classes
 * that ship inside nd4j-api: input {@code images} {@code [N, 1, 28, 28]}, each member's layers under its
 * own prefix, and the outputs {@code logits} (the members' logits averaged), {@code probabilities}
 * (their softmax) and {@code member_logits} {@code [N, members, classes]}. Batch norm is written in its
 * inference form, from the running statistics the network serves with.
 */
public final class OnnxExport {

    public static final String IMAGES = "images";
    public static final String LOGITS = "logits";
    public static final String PROBABILITIES = "probabilities";
    public static final String MEMBER_LOGITS = "member_logits";
    public static final long IR_VERSION = 8;
    public static final long OPSET = 13;
    private static final String BATCH = "N";

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private int nodes;

    private OnnxExport() {
    }

    /** The ensemble of these members (all of one architecture, with {@code classes} outputs) as an ONNX model's bytes. */
    public static byte[] ensemble(List<Network> members, int classes, String name) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble has at least one member");
        }
        OnnxExport export = new OnnxExport();
        export.graph.setName(name);
        List<String> memberLogits = new ArrayList<>();
        for (int m = 0; m < members.size(); m++) {
            memberLogits.add(export.member((Dl4jNetwork<?>) members.get(m), "m" + m + "/"));
        }
        export.node("Mean", memberLogits, LOGITS);
        export.node("Softmax", List.of(LOGITS), PROBABILITIES, integer("axis", 1));
        export.graph.addInitializer(longs("unsqueeze_axes", new long[]{1}, 1));
        List<String> unsqueezed = new ArrayList<>();
        for (String logits : memberLogits) {
            unsqueezed.add(export.node("Unsqueeze", List.of(logits, "unsqueeze_axes"), logits + "_unsqueezed"));
        }
        export.node("Concat", unsqueezed, MEMBER_LOGITS, integer("axis", 1));
        export.graph.addInput(value(IMAGES, 1, InputShape.SIDE, InputShape.SIDE))
                .addOutput(value(LOGITS, classes))
                .addOutput(value(PROBABILITIES, classes))
                .addOutput(value(MEMBER_LOGITS, members.size(), classes));
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("cnn-ensemble-service")
                .setGraph(export.graph)
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("architecture").setValue(members.get(0).architecture().id()))
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("members").setValue(Integer.toString(members.size())))
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("parameters")
                        .setValue(Long.toString(members.stream().mapToLong(Network::parameterCount).sum())))
                .build().toByteArray();
    }

    /** Writes one member's layers; returns the name of its logits. */
    private String member(Dl4jNetwork<?> network, String prefix) {
        Map<String, String> outputs = new HashMap<>();
        outputs.put(Dl4jNetwork.NETWORK_INPUT, IMAGES);
        for (Dl4jNetwork.Step step : network.steps()) {
            List<String> inputs = step.inputs().stream().map(outputs::get).toList();
            String name = prefix + step.name();
            String input = inputs.get(0);
            // DL4J flattens channels first, as Flatten does. Its flat input becomes NCHW before the first
            // layer, which the graph's images already are.
            boolean firstLayerReshape = step.preprocessor() instanceof FeedForwardToCnnPreProcessor && IMAGES.equals(input);
            if (step.preprocessor() instanceof CnnToFeedForwardPreProcessor) {
                input = node("Flatten", List.of(input), name + "/flat", integer("axis", 1));
            } else if (step.preprocessor() != null && !firstLayerReshape) {
                throw unsupported(step.name(), step.preprocessor().getClass().getSimpleName());
            }
            String output;
            if (step.layer() != null) {
                output = layer(step.layer(), name, input);
            } else if (step.vertex() instanceof ElementWiseVertex add && add.getOp() == ElementWiseVertex.Op.Add) {
                output = node("Add", inputs, name);
            } else {
                throw unsupported(step.name(), step.vertex() == null ? "nothing" : step.vertex().getClass().getSimpleName());
            }
            outputs.put(step.name(), output);
        }
        return outputs.get(Network.LOGITS);
    }

    private String layer(Layer layer, String name, String input) {
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        if (conf instanceof ConvolutionLayer conv) {
            checkConvolution(conv, name);
            long pad = (conv.getKernelSize()[0] - 1) / 2;
            String out = node("Conv", List.of(input, weights(layer, name), bias(layer, name)), name,
                    ints("kernel_shape", conv.getKernelSize()[0], conv.getKernelSize()[1]), ints("pads", pad, pad, pad, pad));
            return activation(conv.getActivationFn(), out, name);
        }
        if (conf instanceof SubsamplingLayer pool) {
            if (pool.getPoolingType() != PoolingType.MAX || pool.getConvolutionMode() != ConvolutionMode.Same) {
                throw unsupported(name, "pooling other than SAME max pooling");
            }
            // SAME_UPPER pads at the end, as DL4J's SAME does: 7x7 becomes 4x4.
            return node("MaxPool", List.of(input), name, ints("kernel_shape", pool.getKernelSize()[0], pool.getKernelSize()[1]),
                    ints("strides", pool.getStride()[0], pool.getStride()[1]), string("auto_pad", "SAME_UPPER"));
        }
        if (conf instanceof DenseLayer dense) {
            String out = node("Gemm", List.of(input, weights(layer, name), bias(layer, name)), name);
            return activation(dense.getActivationFn(), out, name);
        }
        if (conf instanceof BatchNormalization batchNorm) {
            String out = batchNorm(layer, batchNorm, name, input);
            return batchNorm instanceof BatchNormRelu ? node("Relu", List.of(out), name + "/relu") : out;
        }
        if (conf instanceof ActivationLayer activation) {
            return activation(activation.getActivationFn(), input, name);
        }
        if (conf instanceof LossLayer) {
            // Parameter-free; the logits before it are what the graph outputs.
            return input;
        }
        throw unsupported(name, conf.getClass().getSimpleName());
    }

    private static void checkConvolution(ConvolutionLayer conv, String name) {
        boolean same = conv.getConvolutionMode() == ConvolutionMode.Same && conv.getStride()[0] == 1 && conv.getStride()[1] == 1
                && conv.getKernelSize()[0] == conv.getKernelSize()[1] && conv.getKernelSize()[0] % 2 == 1
                && conv.getDilation()[0] == 1 && conv.getDilation()[1] == 1;
        if (!same) {
            throw unsupported(name, "a convolution other than SAME, stride 1, odd square kernel");
        }
    }

    /** Inference form: y = (x - mean) / sqrt(var + epsilon) * gamma + beta, with DL4J's variance or log10 of its standard deviation. */
    private String batchNorm(Layer layer, BatchNormalization conf, String name, String input) {
        float[] variance;
        if (conf.isUseLogStd()) {
            float[] log10Std = floats(layer.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD));
            variance = new float[log10Std.length];
            for (int c = 0; c < variance.length; c++) {
                variance[c] = (float) Math.pow(10, 2.0 * log10Std[c]);
            }
        } else {
            variance = floats(layer.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR));
        }
        String gamma = initializer(name + "/gamma", floats(layer.getParam(BatchNormalizationParamInitializer.GAMMA)));
        String beta = initializer(name + "/beta", floats(layer.getParam(BatchNormalizationParamInitializer.BETA)));
        String mean = initializer(name + "/mean", floats(layer.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN)));
        String var = initializer(name + "/var", variance);
        return node("BatchNormalization", List.of(input, gamma, beta, mean, var), name, floating("epsilon", (float) conf.getEps()));
    }

    private String activation(IActivation activation, String input, String name) {
        if (activation == null || activation instanceof ActivationIdentity) {
            return input;
        }
        if (activation instanceof ActivationReLU) {
            return node("Relu", List.of(input), name + "/relu");
        }
        throw unsupported(name, "activation " + activation);
    }

    /** Convolution kernels keep DL4J's {@code [out, in, h, w]}; dense weights its {@code [in, out]}, which Gemm takes as B. */
    private String weights(Layer layer, String name) {
        INDArray w = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
        return initializer(name + "/W", floats(w), w.shape());
    }

    private String bias(Layer layer, String name) {
        INDArray b = layer.getParam(DefaultParamInitializer.BIAS_KEY);
        if (b == null) {
            throw unsupported(name, "a layer without bias");
        }
        return initializer(name + "/b", floats(b));
    }

    /** A parameter's values in row-major order. */
    private static float[] floats(INDArray values) {
        return Nd4j.toFlattened('c', values.castTo(DataType.FLOAT)).toFloatVector();
    }

    /** A float initializer; a vector unless dimensions are given. */
    private String initializer(String name, float[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(raw.array()));
        for (long d : dims.length == 0 ? new long[]{values.length} : dims) {
            tensor.addDims(d);
        }
        graph.addInitializer(tensor);
        return name;
    }

    private static TensorProto longs(String name, long[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                .setRawData(ByteString.copyFrom(raw.array()));
        for (long d : dims) {
            tensor.addDims(d);
        }
        return tensor.build();
    }

    private String node(String op, List<String> inputs, String output, AttributeProto... attributes) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(op.toLowerCase() + "_" + nodes++).addAllInput(inputs).addOutput(output);
        for (AttributeProto attribute : attributes) {
            node.addAttribute(attribute);
        }
        graph.addNode(node);
        return output;
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder attribute = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            attribute.addInts(v);
        }
        return attribute.build();
    }

    private static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto floating(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    private static AttributeProto string(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(value)).build();
    }

    /** A float tensor whose first dimension is the batch, named {@code N}. */
    private static ValueInfoProto value(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }

    private static IllegalArgumentException unsupported(String layer, String what) {
        return new IllegalArgumentException("cannot write " + layer + " as ONNX: " + what + " is not supported");
    }
}
