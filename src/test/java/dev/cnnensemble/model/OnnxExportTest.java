package dev.cnnensemble.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnensemble.dataset.LabeledImages;
import dev.cnnensemble.dataset.RealData;
import dev.cnnensemble.dataset.RequiresMnist;
import dev.cnnensemble.training.EnsembleMath;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * Parity: a 2-member ensemble of each architecture, trained on a slice of real MNIST, written as one
 * ONNX graph and run by ONNX Runtime, gives DL4J's logits on 1,000 real test digits within 1e-4, for
 * each member and averaged, and the same labels.
 */
@RequiresMnist
class OnnxExportTest {

    private static final int DIGITS = 1000;

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void onnxRuntimeGivesDl4jsLogits(Architecture architecture) throws OrtException {
        LabeledImages train = RealData.mnist().train().first(1000);
        List<Network> members = new ArrayList<>();
        for (int m = 0; m < 2; m++) {
            Network network = NetworkFactory.create(architecture, NetworkFactory.CLASSES, 11 + m, new Adam(1e-3), NetworkFactory.KERAS_BN_MOMENTUM);
            for (int from = 0; from < train.size(); from += 100) {
                LabeledImages batch = train.range(from, from + 100);
                network.fit(DigitArrays.features(batch), DigitArrays.labels(batch));
            }
            // Served running statistics rather than their initial values, as a job leaves them.
            network.recalibrateBatchNorm(() -> List.of(DigitArrays.features(train.range(0, 500))));
            members.add(network);
        }
        LabeledImages test = RealData.mnist().test().first(DIGITS);
        INDArray features = DigitArrays.features(test);
        float[][][] dl4j = new float[members.size()][][];
        for (int m = 0; m < members.size(); m++) {
            dl4j[m] = members.get(m).logits(features).toFloatMatrix();
        }
        float[][] averaged = EnsembleMath.averageLogits(java.util.Arrays.asList(dl4j));

        byte[] onnx = OnnxExport.ensemble(members, NetworkFactory.CLASSES, architecture.id());

        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession session = environment.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor images = OnnxTensor.createTensor(environment, FloatBuffer.wrap(org.nd4j.linalg.factory.Nd4j.toFlattened(features).toFloatVector()),
                     new long[]{DIGITS, 1, InputShape.SIDE, InputShape.SIDE});
             OrtSession.Result result = session.run(Map.of(OnnxExport.IMAGES, images))) {
            float[][] logits = (float[][]) result.get(OnnxExport.LOGITS).orElseThrow().getValue();
            float[][] probabilities = (float[][]) result.get(OnnxExport.PROBABILITIES).orElseThrow().getValue();
            float[][][] memberLogits = (float[][][]) result.get(OnnxExport.MEMBER_LOGITS).orElseThrow().getValue();
            double worst = 0;
            for (int i = 0; i < DIGITS; i++) {
                assertThat(EnsembleMath.argMax(logits[i])).as("label of digit %d", i).isEqualTo(EnsembleMath.argMax(averaged[i]));
                for (int c = 0; c < NetworkFactory.CLASSES; c++) {
                    worst = Math.max(worst, Math.abs(logits[i][c] - averaged[i][c]));
                    for (int m = 0; m < members.size(); m++) {
                        worst = Math.max(worst, Math.abs(memberLogits[i][m][c] - dl4j[m][i][c]));
                    }
                }
                assertThat(probabilities[i]).containsExactly(EnsembleMath.softmax(logits[i]), org.assertj.core.data.Offset.offset(1e-6f));
            }
            assertThat(worst).as("largest difference of a logit, %s", architecture).isLessThanOrEqualTo(1e-4);
        }
        members.forEach(Network::close);
    }
}
