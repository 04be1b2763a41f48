package dev.cnnensemble.inference.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;

import dev.cnnensemble.inference.InferenceExceptions;
import dev.cnnensemble.inference.ModelRegistry;
import dev.cnnensemble.inference.ModelView;
import dev.cnnensemble.inference.Prediction;
import dev.cnnensemble.inference.Predictor;
import dev.cnnensemble.jobs.JobExceptions;
import dev.cnnensemble.model.Architecture;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

@WebMvcTest(OpenInferenceController.class)
// The controller alone: SecurityTest checks who may call it, over the whole service.
@AutoConfigureMockMvc(addFilters = false)
class OpenInferenceControllerTest {

    private static final String ID = "3f0e4e4c-8a5e-4c43-9d59-0c1f3a4f2b7e";
    private static final float[] LOGITS = {0, 0, 0, 0, 0, 0, 0, 9, 0, 0};
    private static final float[] PROBABILITIES = {0.0001f, 0.0001f, 0.0001f, 0.0001f, 0.0001f, 0.0001f, 0.0001f, 0.9991f, 0.0001f, 0.0001f};

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    ModelRegistry registry;

    @MockitoBean
    Predictor predictor;

    @BeforeEach
    void aTrainedDefaultModel() {
        ModelView model = new ModelView(ID, "baseline", Architecture.CNN, "mnist", IntStream.range(0, 10).mapToObj(String::valueOf).toList(),
                2, 15, 0.99, List.of(0.99, 0.99), Instant.parse("2026-11-28T12:00:00Z"), true, true, "9c1d0e7a4b2f");
        given(registry.get(ID)).willReturn(model);
        given(registry.defaultModel()).willReturn(Optional.of(model));
        given(predictor.version(ID)).willReturn("9c1d0e7a4b2f");
        given(predictor.platform()).willReturn("onnxruntime_onnx");
        given(predictor.tensors(eq(ID), any(), anyInt())).willReturn(new Predictor.Tensors(
                new Prediction.ModelRef(ID, "9c1d0e7a4b2f", "cnn", "mnist", 2, 15),
                new float[][]{LOGITS}, new float[][]{PROBABILITIES}, new float[][][]{{LOGITS, LOGITS}}));
    }

    /** Shaped as the protocol's own example: an id, one named input with shape, datatype and flat data, one requested output. */
    @Test
    void aRequestAndResponseShapedAsTheProtocolsExample() {
        String request = """
                {"id": "42", "inputs": [{"name": "images", "shape": [1, 784], "datatype": "UINT8", "data": %s}],
                 "outputs": [{"name": "probabilities"}]}""".formatted(bytes(784, 255));

        assertThat(mvc.post().uri("/v2/models/" + ID + "/infer").contentType(MediaType.APPLICATION_JSON).content(request))
                .hasStatusOk().bodyJson().isLenientlyEqualTo("""
                        {"id": "42", "model_name": "%s", "model_version": "9c1d0e7a4b2f",
                         "outputs": [{"name": "probabilities", "shape": [1, 10], "datatype": "FP32",
                                      "data": [0.0001, 0.0001, 0.0001, 0.0001, 0.0001, 0.0001, 0.0001, 0.9991, 0.0001, 0.0001]}]}""".formatted(ID));
        ArgumentCaptor<float[]> pixels = ArgumentCaptor.forClass(float[].class);
        then(predictor).should().tensors(eq(ID), pixels.capture(), eq(1));
        assertThat(pixels.getValue()).hasSize(784).containsOnly(1f);
    }

    @Test
    void nestedFp32ImagesAndEveryOutputByDefault() {
        String rows = IntStream.range(0, 28).mapToObj(r -> bytes(28, 0)).collect(Collectors.joining(",", "[[", "]]"));
        String request = """
                {"inputs": [{"name": "images", "shape": [1, 1, 28, 28], "datatype": "FP32", "data": [%s]}]}""".formatted(rows);

        assertThat(mvc.post().uri("/v2/models/default/versions/9c1d0e7a4b2f/infer").contentType(MediaType.APPLICATION_JSON).content(request))
                .hasStatusOk().bodyJson()
                .hasPathSatisfying("$.outputs[*].name", v -> v.assertThat().asArray().containsExactly("logits", "probabilities", "member_logits"))
                .hasPathSatisfying("$.outputs[2].shape", v -> v.assertThat().asArray().containsExactly(1, 2, 10))
                .hasPathSatisfying("$.outputs[0].data[7]", v -> v.assertThat().isEqualTo(9.0));
    }

    @Test
    void errorsAreTheProtocolsWithTheirStatus() {
        given(registry.get("9f0e4e4c-8a5e-4c43-9d59-0c1f3a4f2b7e")).willThrow(new JobExceptions.NotFound("9f0e4e4c-8a5e-4c43-9d59-0c1f3a4f2b7e"));
        given(registry.get("8f0e4e4c-8a5e-4c43-9d59-0c1f3a4f2b7e")).willThrow(new InferenceExceptions.NotAModel("job 8f0e4e4c is RUNNING"));
        String valid = """
                {"inputs": [{"name": "images", "shape": [1, 784], "datatype": "UINT8", "data": %s}]}""".formatted(bytes(784, 0));

        assertError(infer(ID, valid.replace("[1, 784]", "[1, 783]")), HttpStatus.BAD_REQUEST, "[N, 1, 28, 28] or [N, 784]");
        assertError(infer(ID, valid.replace("[1, 784]", "[2, 784]")), HttpStatus.BAD_REQUEST, "its shape says 1568");
        assertError(infer(ID, valid.replace("\"UINT8\"", "\"FP32\"").replaceFirst("\\[0,", "[3,")), HttpStatus.BAD_REQUEST, "0..1");
        assertError(infer(ID, valid.replace("\"UINT8\"", "\"INT64\"")), HttpStatus.BAD_REQUEST, "FP32");
        assertError(infer(ID, valid.replace("\"images\"", "\"input0\"")), HttpStatus.BAD_REQUEST, "named images");
        assertError(infer(ID, valid.replace("]}]}", "]}], \"outputs\": [{\"name\": \"scores\"}]}")), HttpStatus.BAD_REQUEST, "unknown output scores");
        assertError(infer(ID, "{\"inputs\": "), HttpStatus.BAD_REQUEST, "not an inference request");
        assertError(infer("resnet", valid), HttpStatus.NOT_FOUND, "job id, or default");
        assertError(infer("9f0e4e4c-8a5e-4c43-9d59-0c1f3a4f2b7e", valid), HttpStatus.NOT_FOUND, "9f0e4e4c");
        assertError(infer("8f0e4e4c-8a5e-4c43-9d59-0c1f3a4f2b7e", valid), HttpStatus.CONFLICT, "RUNNING");
        assertError(mvc.get().uri("/v2/models/" + ID + "/versions/000000000000").exchange(), HttpStatus.NOT_FOUND, "its version is 9c1d0e7a4b2f");
    }

    @Test
    void serverAndModelMetadataAndReadiness() {
        assertThat(mvc.get().uri("/v2")).hasStatusOk().bodyJson().hasPathSatisfying("$.name", v -> v.assertThat().isEqualTo("cnn-ensemble-service"));
        assertThat(mvc.get().uri("/v2/health/live")).hasStatusOk();
        assertThat(mvc.get().uri("/v2/health/ready")).hasStatusOk();
        assertThat(mvc.get().uri("/v2/models/default")).hasStatusOk().bodyJson()
                .hasPathSatisfying("$.name", v -> v.assertThat().isEqualTo(ID))
                .hasPathSatisfying("$.versions", v -> v.assertThat().asArray().containsExactly("9c1d0e7a4b2f"))
                .hasPathSatisfying("$.platform", v -> v.assertThat().isEqualTo("onnxruntime_onnx"))
                .hasPathSatisfying("$.inputs[0].shape", v -> v.assertThat().asArray().containsExactly(-1, 1, 28, 28))
                .hasPathSatisfying("$.outputs[2].shape", v -> v.assertThat().asArray().containsExactly(-1, 2, 10));
        assertThat(mvc.get().uri("/v2/models/" + ID + "/versions/9c1d0e7a4b2f/ready")).hasStatusOk().bodyJson()
                .hasPathSatisfying("$.ready", v -> v.assertThat().isEqualTo(true));
    }

    private org.springframework.test.web.servlet.assertj.MvcTestResult infer(String name, String body) {
        return mvc.post().uri("/v2/models/" + name + "/infer").contentType(MediaType.APPLICATION_JSON).content(body).exchange();
    }

    private static void assertError(org.springframework.test.web.servlet.assertj.MvcTestResult result, HttpStatus status, String message) {
        assertThat(result).hasStatus(status).hasContentType(MediaType.APPLICATION_JSON).bodyJson()
                .hasPathSatisfying("$.error", v -> v.assertThat().asString().contains(message));
    }

    private static String bytes(int count, int value) {
        return IntStream.range(0, count).mapToObj(i -> String.valueOf(value)).collect(Collectors.joining(",", "[", "]"));
    }
}
