package dev.cnnensemble.inference.web;

import dev.cnnensemble.inference.InferenceExceptions.UnknownModel;
import dev.cnnensemble.inference.ModelEvaluation;
import dev.cnnensemble.inference.ModelEvaluations;
import dev.cnnensemble.inference.ModelExporter;
import dev.cnnensemble.inference.ModelExports;
import dev.cnnensemble.inference.ModelRegistry;
import dev.cnnensemble.inference.ModelView;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import java.util.List;
import java.util.UUID;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

@RestController
@RequestMapping(value = "/models", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Models", description = "Trained ensembles (SUCCEEDED jobs) and the default one that /predict uses")
class ModelController {

    record DefaultModelRequest(
            @Schema(description = "The id of a SUCCEEDED job", example = "3f0e4e4c-8a5e-4c43-9d59-0c1f3a4f2b7e")
            @NotNull UUID jobId) {
    }

    private final ModelRegistry registry;
    private final ModelEvaluations evaluations;
    private final ModelExports exports;

    ModelController(ModelRegistry registry, ModelEvaluations evaluations, ModelExports exports) {
        this.registry = registry;
        this.evaluations = evaluations;
        this.exports = exports;
    }

    @GetMapping
    @Operation(operationId = "listModels", summary = "List models", description = "Every SUCCEEDED job, newest first, with its test accuracy and whether it is the default.")
    List<ModelView> list() {
        return registry.list();
    }

    @GetMapping("/default")
    @Operation(operationId = "getDefaultModel", summary = "The default model", description = "The model /predict uses when a request names none.")
    @ApiResponse(responseCode = "404", description = "No default is set", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    ModelView getDefault() {
        return registry.defaultModel().orElseThrow(() -> new UnknownModel("no default model is set; PUT /models/default {\"jobId\": ...} sets one"));
    }

    @PutMapping(path = "/default", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "setDefaultModel", summary = "Choose the default model", description = """
            The next requests use it; those in flight finish with the model they started with. It is stored in the \
            database and survives restarts.""")
    @ApiResponse(responseCode = "404", description = "No such job", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "The job has not SUCCEEDED", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<ModelView> setDefault(@Valid @RequestBody DefaultModelRequest request) {
        ModelView model = registry.setDefault(request.jobId().toString());
        return ResponseEntity.ok().header(HttpHeaders.CONTENT_LOCATION, "/models/" + model.id()).body(model);
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getModel", summary = "Get a model")
    @ApiResponse(responseCode = "404", description = "No such job", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "The job has not SUCCEEDED", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    ModelView get(@PathVariable UUID id) {
        return registry.get(id.toString());
    }

    @GetMapping("/{id}/evaluation")
    @Operation(operationId = "getModelEvaluation", summary = "What a model gets right and wrong", description = """
            On the test images its job reported on: the confusion matrix (rows are true labels, columns predicted ones), \
            precision and recall per class, and the misclassified images with the ensemble's and each member's label; \
            GET /datasets/{dataset}/images/test/{index} serves each image. Computed once when the job succeeds and stored; \
            a model trained before this existed is evaluated on its first request, which takes seconds.""")
    @ApiResponse(responseCode = "404", description = "No such job", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "The job has not SUCCEEDED", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    ModelEvaluation evaluation(@PathVariable UUID id) {
        return evaluations.get(id.toString());
    }

    @GetMapping(path = "/{id}/onnx", produces = {MediaType.APPLICATION_OCTET_STREAM_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    @Operation(operationId = "downloadModelOnnx", summary = "Download the model as one ONNX file", description = """
            The whole ensemble as one graph (IR version 8, opset 13): input images, float [N, 1, 28, 28], white ink on black \
            in 0..1; outputs logits (the members' logits averaged), probabilities (their softmax) and member_logits \
            [N, members, classes]. Written when the job succeeds, or on the first request for a model trained before. \
            The ETag is the file's SHA-256, so If-None-Match answers 304 while it is unchanged.""")
    @ApiResponse(responseCode = "200", description = "The ONNX file", content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
            schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "404", description = "No such job", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "The job has not SUCCEEDED", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<Resource> onnx(@PathVariable UUID id, WebRequest request) {
        ModelExporter.OnnxFile onnx = exports.onnx(id.toString());
        String etag = "\"" + onnx.sha256() + "\"";
        if (request.checkNotModified(etag)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
        }
        return ResponseEntity.ok().eTag(etag).contentType(MediaType.APPLICATION_OCTET_STREAM).contentLength(onnx.bytes())
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename("model-" + id + ".onnx").build().toString())
                .body(new FileSystemResource(onnx.file()));
    }
}
