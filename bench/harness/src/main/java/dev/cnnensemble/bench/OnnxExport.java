package dev.cnnensemble.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Writes the baseline CNN as an ONNX model (IR 8, opset 13) with given weights, so that ONNX Runtime
 * serves exactly the network DL4J trained. ONNX is protobuf; the message and field numbers below are
 * those of onnx.proto. The input is {@code images [N, 784]}, reshaped to NCHW in the graph; the output
 * is {@code logits [N, 10]}.
 */
final class OnnxExport {

    private static final int FLOAT = 1;
    private static final int INT64 = 7;
    private static final int ATTR_INT = 2;
    private static final int ATTR_STRING = 3;
    private static final int ATTR_INTS = 7;

    private OnnxExport() {
    }

    static byte[] cnn(CnnWeights weights) {
        Message graph = new Message().string(2, "cnn");
        graph.message(5, tensor("reshape_to_nchw", new long[]{4}, INT64, longs(-1, 1, 28, 28)));
        graph.message(1, node("Reshape", List.of("images", "reshape_to_nchw"), "x0"));
        String input = "x0";
        for (int i = 0; i < weights.convs().size(); i++) {
            CnnWeights.Layer conv = weights.convs().get(i);
            String w = "conv" + (i + 1) + "_w";
            String b = "conv" + (i + 1) + "_b";
            graph.message(5, tensor(w, new long[]{conv.out(), conv.in(), 3, 3}, FLOAT, floats(conv.weights())));
            graph.message(5, tensor(b, new long[]{conv.out()}, FLOAT, floats(conv.bias())));
            String c = "conv" + (i + 1);
            graph.message(1, node("Conv", List.of(input, w, b), c, ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1)));
            graph.message(1, node("Relu", List.of(c), c + "_relu"));
            String pool = "pool" + (i + 1);
            // SAME_UPPER pads at the end, as TensorFlow's and DL4J's SAME do: 7x7 becomes 4x4.
            graph.message(1, node("MaxPool", List.of(c + "_relu"), pool, ints("kernel_shape", 2, 2), ints("strides", 2, 2),
                    string("auto_pad", "SAME_UPPER")));
            input = pool;
        }
        graph.message(1, node("Flatten", List.of(input), "flat", integer("axis", 1)));
        dense(graph, "dense", weights.hidden(), "flat", "hidden");
        graph.message(1, node("Relu", List.of("hidden"), "hidden_relu"));
        dense(graph, "logits", weights.logits(), "hidden_relu", "logits");
        graph.message(11, valueInfo("images", Workload.PIXELS));
        graph.message(12, valueInfo("logits", 10));
        return new Message()
                .int64(1, 8)
                .string(2, "cnn-ensemble-benchmarks")
                .message(7, graph)
                .message(8, new Message().string(1, "").int64(2, 13))
                .message(14, new Message().string(1, "parameters").string(2, Long.toString(weights.parameters())))
                .bytes();
    }

    private static void dense(Message graph, String name, CnnWeights.Layer dense, String input, String output) {
        graph.message(5, tensor(name + "_w", new long[]{dense.in(), dense.out()}, FLOAT, floats(dense.weights())));
        graph.message(5, tensor(name + "_b", new long[]{dense.out()}, FLOAT, floats(dense.bias())));
        graph.message(1, node("Gemm", List.of(input, name + "_w", name + "_b"), output));
    }

    private static Message node(String op, List<String> inputs, String output, Message... attributes) {
        Message node = new Message();
        inputs.forEach(i -> node.string(1, i));
        node.string(2, output).string(3, output + "_" + op.toLowerCase()).string(4, op);
        for (Message attribute : attributes) {
            node.message(5, attribute);
        }
        return node;
    }

    private static Message ints(String name, long... values) {
        Message attribute = new Message().string(1, name);
        for (long v : values) {
            attribute.int64(8, v);
        }
        return attribute.int64(20, ATTR_INTS);
    }

    private static Message integer(String name, long value) {
        return new Message().string(1, name).int64(3, value).int64(20, ATTR_INT);
    }

    private static Message string(String name, String value) {
        return new Message().string(1, name).string(4, value).int64(20, ATTR_STRING);
    }

    private static Message tensor(String name, long[] dims, int type, byte[] raw) {
        Message tensor = new Message();
        for (long d : dims) {
            tensor.int64(1, d);
        }
        return tensor.int64(2, type).string(8, name).raw(9, raw);
    }

    /** A float tensor {@code [N, width]} with a symbolic batch dimension. */
    private static Message valueInfo(String name, int width) {
        Message shape = new Message()
                .message(1, new Message().string(2, "N"))
                .message(1, new Message().int64(1, width));
        return new Message().string(1, name)
                .message(2, new Message().message(1, new Message().int64(1, FLOAT).message(2, shape)));
    }

    private static byte[] floats(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    private static byte[] longs(long... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asLongBuffer().put(values);
        return buffer.array();
    }

    /** A protobuf message built field by field with protobuf-java's encoder. */
    private static final class Message {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final CodedOutputStream out = CodedOutputStream.newInstance(buffer);

        Message int64(int field, long value) {
            return write(() -> out.writeInt64(field, value));
        }

        Message string(int field, String value) {
            return write(() -> out.writeString(field, value));
        }

        Message raw(int field, byte[] value) {
            return write(() -> out.writeBytes(field, ByteString.copyFrom(value)));
        }

        Message message(int field, Message value) {
            return raw(field, value.bytes());
        }

        byte[] bytes() {
            write(out::flush);
            return buffer.toByteArray();
        }

        private Message write(IoAction action) {
            try {
                action.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        private interface IoAction {
            void run() throws IOException;
        }
    }
}
