package dev.cnnensemble.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The baseline CNN's trained weights in a plain file, handed from the DL4J process to the ONNX
 * Runtime one (the two need different native libraries, so they never share a JVM).
 */
record CnnWeights(List<Layer> convs, Layer hidden, Layer logits) {

    /**
     * One layer's weights and bias. A convolution's weights are {@code [out, in, 3, 3]}, as DL4J and
     * ONNX both lay them out; a dense layer's are {@code [in, out]}, row-major, as ONNX Gemm's B.
     */
    record Layer(float[] weights, float[] bias, int in, int out) {
    }

    long parameters() {
        long total = 0;
        for (Layer layer : all()) {
            total += layer.weights().length + layer.bias().length;
        }
        return total;
    }

    void write(Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(convs.size());
            for (Layer layer : all()) {
                out.writeInt(layer.in());
                out.writeInt(layer.out());
                writeFloats(out, layer.weights());
                writeFloats(out, layer.bias());
            }
        }
    }

    static CnnWeights read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int convCount = in.readInt();
            List<Layer> layers = new ArrayList<>();
            for (int i = 0; i < convCount + 2; i++) {
                int inputs = in.readInt();
                int outputs = in.readInt();
                layers.add(new Layer(readFloats(in), readFloats(in), inputs, outputs));
            }
            return new CnnWeights(layers.subList(0, convCount), layers.get(convCount), layers.get(convCount + 1));
        }
    }

    private List<Layer> all() {
        List<Layer> all = new ArrayList<>(convs);
        all.add(hidden);
        all.add(logits);
        return all;
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        for (float v : values) {
            out.writeFloat(v);
        }
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        float[] values = new float[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readFloat();
        }
        return values;
    }
}
