package dev.cnnensemble.inference.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;

import dev.cnnensemble.inference.InferenceExceptions;
import dev.cnnensemble.inference.InkCoverage;
import dev.cnnensemble.inference.ModelEvaluation;
import dev.cnnensemble.inference.ModelEvaluations;
import dev.cnnensemble.inference.ModelExporter;
import dev.cnnensemble.inference.ModelExports;
import dev.cnnensemble.inference.ModelRegistry;
import dev.cnnensemble.inference.ModelView;
import dev.cnnensemble.jobs.JobExceptions;
import dev.cnnensemble.model.Architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

@WebMvcTest(ModelController.class)
// The controller alone: SecurityTest checks who may call it, over the whole service.
@AutoConfigureMockMvc(addFilters = false)
class ModelControllerTest {

    private static final String ID = "3f0e4e4c-8a5e-4c43-9d59-0c1f3a4f2b7e";
    private static final List<String> FASHION = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
            "Bag", "Ankle boot");

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    ModelRegistry registry;

    @MockitoBean
    ModelEvaluations evaluations;

    @MockitoBean
    ModelExports exports;

    private static ModelView model(boolean isDefault) {
        return new ModelView(ID, "baseline", Architecture.CNN, "fashion-mnist", FASHION, 3, 15, 0.9949, List.of(0.993, 0.9931, 0.9928),
                Instant.parse("2026-11-28T12:00:00Z"), isDefault, false, null);
    }

    @Test
    void listsModelsWithTheirAccuracyDatasetClassNamesAndTheDefaultFlag() {
        given(registry.list()).willReturn(List.of(model(true)));

        assertThat(mvc.get().uri("/models")).hasStatusOk().bodyJson()
                .hasPathSatisfying("$[0].testAccuracy", v -> v.assertThat().isEqualTo(0.9949))
                .hasPathSatisfying("$[0].architecture", v -> v.assertThat().isEqualTo("cnn"))
                .hasPathSatisfying("$[0].dataset", v -> v.assertThat().isEqualTo("fashion-mnist"))
                .hasPathSatisfying("$[0].classNames", v -> v.assertThat().asArray().containsExactlyElementsOf(FASHION))
                .hasPathSatisfying("$[0].default", v -> v.assertThat().isEqualTo(true));
    }

    @Test
    void settingTheDefaultValidatesTheJobId() {
        given(registry.setDefault(ID)).willReturn(model(true));

        assertThat(mvc.put().uri("/models/default").contentType(MediaType.APPLICATION_JSON).content("{\"jobId\": \"" + ID + "\"}"))
                .hasStatusOk().bodyJson().hasPathSatisfying("$.id", v -> v.assertThat().isEqualTo(ID));
        assertThat(mvc.put().uri("/models/default").contentType(MediaType.APPLICATION_JSON).content("{\"jobId\": \"newest\"}"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson().hasPathSatisfying("$.errors[0].field", v -> v.assertThat().isEqualTo("jobId"));
        assertThat(mvc.put().uri("/models/default").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .hasStatus(HttpStatus.BAD_REQUEST);
        then(registry).should().setDefault(ID);
    }

    @Test
    void unknownJobsAre404AndUnfinishedOnes409() {
        given(registry.get(ID)).willThrow(new JobExceptions.NotFound(ID));
        given(registry.setDefault(ID)).willThrow(new InferenceExceptions.NotAModel("job " + ID + " is RUNNING"));
        given(registry.defaultModel()).willReturn(Optional.empty());

        assertThat(mvc.get().uri("/models/" + ID)).hasStatus(HttpStatus.NOT_FOUND).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(mvc.put().uri("/models/default").contentType(MediaType.APPLICATION_JSON).content("{\"jobId\": \"" + ID + "\"}"))
                .hasStatus(HttpStatus.CONFLICT);
        assertThat(mvc.get().uri("/models/default")).hasStatus(HttpStatus.NOT_FOUND)
                .bodyJson().hasPathSatisfying("$.detail", v -> v.assertThat().asString().contains("PUT /models/default"));
    }

    @Test
    void anEvaluationListsTheConfusionMatrixThePerClassFiguresAndTheMisclassified() {
        given(evaluations.get(ID)).willReturn(new ModelEvaluation(ID, "mnist", List.of("0", "1"), 3, 2 / 3.0, 2,
                new int[][]{{1, 1}, {0, 1}}, List.of(new ModelEvaluation.ClassMetrics(0, "0", 1.0, 0.5, 2), new ModelEvaluation.ClassMetrics(1, "1", 0.5, 1.0, 1)),
                1, List.of(new ModelEvaluation.Misclassified(1, 0, 1, new int[]{1, 0}, 0.6)), 99, 0.41, new InkCoverage.Range(0.07, 0.31), Instant.parse("2026-11-28T12:00:00Z")));
        given(evaluations.get("9f0e4e4c-8a5e-4c43-9d59-0c1f3a4f2b7e")).willThrow(new JobExceptions.NotFound("9f0e4e4c-8a5e-4c43-9d59-0c1f3a4f2b7e"));

        assertThat(mvc.get().uri("/models/" + ID + "/evaluation")).hasStatusOk().bodyJson()
                .hasPathSatisfying("$.confusion[0]", v -> v.assertThat().asArray().containsExactly(1, 1))
                .hasPathSatisfying("$.classes[1].precision", v -> v.assertThat().isEqualTo(0.5))
                .hasPathSatisfying("$.misclassified[0].memberVotes", v -> v.assertThat().asArray().containsExactly(1, 0))
                .hasPathSatisfying("$.testImages", v -> v.assertThat().isEqualTo(3));
        assertThat(mvc.get().uri("/models/9f0e4e4c-8a5e-4c43-9d59-0c1f3a4f2b7e/evaluation")).hasStatus(HttpStatus.NOT_FOUND)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(mvc.get().uri("/models/not-a-uuid/evaluation")).hasStatus(HttpStatus.BAD_REQUEST);
    }

    @Test
    void theOnnxFileDownloadsWithItsHashAsETagAndA304WhenUnchanged(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("model.onnx"), new byte[]{8, 1, 2, 3});
        given(exports.onnx(ID)).willReturn(new ModelExporter.OnnxFile(file, "abc123", 4, "9c1d0e7a4b2f", 15, 30_000));

        assertThat(mvc.get().uri("/models/" + ID + "/onnx")).hasStatusOk()
                .hasContentType(MediaType.APPLICATION_OCTET_STREAM)
                .hasHeader(HttpHeaders.ETAG, "\"abc123\"")
                .hasHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"model-" + ID + ".onnx\"")
                .hasBodyTextEqualTo(new String(new byte[]{8, 1, 2, 3}, java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(mvc.get().uri("/models/" + ID + "/onnx").header(HttpHeaders.IF_NONE_MATCH, "\"abc123\""))
                .hasStatus(HttpStatus.NOT_MODIFIED);
    }
}
