package dev.cnnensemble.inference.web;

import dev.cnnensemble.inference.InferenceExceptions.UnknownModel;
import dev.cnnensemble.inference.ModelRegistry;
import dev.cnnensemble.inference.ModelView;
import dev.cnnensemble.inference.Predictor;
import dev.cnnensemble.model.InputShape;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

/**
 * The Open Inference Protocol (KServe v2, REST), so that Triton's, KServe's and Seldon's clients talk
 * to the service unchanged. A model's name is its job id, or {@code default}; its version is the hash
 * of its checkpoints that {@code /predict} reports. Errors are the protocol's {@code {"error": "..."}}
 * ({@link OpenInferenceErrors}). The binary-data extension is not offered.
 */
@RestController
@RequestMapping(path = "/v2", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Open Inference Protocol", description = "KServe v2: server and model metadata, readiness, and inference on tensors")
class OpenInferenceController {

    static final String DEFAULT = "default";
    private static final String IMAGES = "images";
    private static final List<String> OUTPUTS = List.of("logits", "probabilities", "member_logits");

    record ServerMetadata(String name, String version, List<String> extensions) {
    }

    record Live(boolean live) {
    }

    record Ready(boolean ready) {
    }

    record ModelReady(String name, String version, boolean ready) {
    }

    record TensorMetadata(String name, String datatype, List<Long> shape) {
    }

    record ModelMetadata(String name, List<String> versions, String platform, List<TensorMetadata> inputs, List<TensorMetadata> outputs) {
    }

    @Schema(name = "InferRequest")
    record InferRequest(@Nullable String id, List<RequestInput> inputs, @Nullable List<RequestOutput> outputs,
                        @Nullable Map<String, Object> parameters) {
    }

    @Schema(name = "InferRequestInput")
    record RequestInput(String name, List<Long> shape, String datatype,
                        @Schema(description = "Row-major, flat or nested", type = "array") JsonNode data) {
    }

    @Schema(name = "InferRequestOutput")
    record RequestOutput(String name) {
    }

    @Schema(name = "InferResponse")
    record InferResponse(@Nullable String id, String model_name, String model_version, List<ResponseOutput> outputs) {
    }

    @Schema(name = "InferResponseOutput")
    record ResponseOutput(String name, List<Long> shape, String datatype, List<Float> data) {
    }

    private final ModelRegistry registry;
    private final Predictor predictor;
    private final String version;

    OpenInferenceController(ModelRegistry registry, Predictor predictor, ObjectProvider<BuildProperties> build) {
        this.registry = registry;
        this.predictor = predictor;
        BuildProperties properties = build.getIfAvailable();
        this.version = properties == null ? "unknown" : properties.getVersion();
    }

    @GetMapping
    @Operation(operationId = "v2ServerMetadata", summary = "Server metadata")
    ServerMetadata server() {
        return new ServerMetadata("cnn-ensemble-service", version, List.of());
    }

    @GetMapping("/health/live")
    @Operation(operationId = "v2ServerLive", summary = "Server liveness")
    Live live() {
        return new Live(true);
    }

    @GetMapping("/health/ready")
    @Operation(operationId = "v2ServerReady", summary = "Server readiness: it takes inference requests")
    Ready ready() {
        return new Ready(true);
    }

    @GetMapping("/models/{name}")
    @Operation(operationId = "v2ModelMetadata", summary = "Model metadata: its version and tensors",
            description = "name: a model's id, or default. Loads the model to learn its version.")
    ModelMetadata modelMetadata(@PathVariable String name) {
        return modelVersion(name, null);
    }

    @GetMapping("/models/{name}/versions/{version}")
    @Operation(operationId = "v2ModelVersionMetadata", summary = "Model metadata, of one version", description = "404 for a version the model does not serve.")
    ModelMetadata modelVersion(@PathVariable String name, @PathVariable @Nullable String version) {
        ModelView model = model(name);
        String loaded = loadedVersion(model, version);
        long classes = model.classNames().size();
        return new ModelMetadata(model.id(), List.of(loaded), predictor.platform(),
                List.of(new TensorMetadata(IMAGES, "FP32", List.of(-1L, 1L, (long) InputShape.SIDE, (long) InputShape.SIDE))),
                List.of(new TensorMetadata("logits", "FP32", List.of(-1L, classes)),
                        new TensorMetadata("probabilities", "FP32", List.of(-1L, classes)),
                        new TensorMetadata("member_logits", "FP32", List.of(-1L, (long) model.ensembleSize(), classes))));
    }

    @GetMapping("/models/{name}/ready")
    @Operation(operationId = "v2ModelReady", summary = "Model readiness", description = "Loads the model if it is not loaded yet.")
    ModelReady modelReady(@PathVariable String name) {
        return modelVersionReady(name, null);
    }

    @GetMapping("/models/{name}/versions/{version}/ready")
    @Operation(operationId = "v2ModelVersionReady", summary = "Model readiness, of one version")
    ModelReady modelVersionReady(@PathVariable String name, @PathVariable @Nullable String version) {
        ModelView model = model(name);
        return new ModelReady(model.id(), loadedVersion(model, version), true);
    }

    @PostMapping(path = "/models/{name}/infer", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "v2Infer", summary = "Inference on tensors", description = """
            One input, images: FP32 in 0..1 or UINT8 in 0..255, white ink on black, shaped [N, 1, 28, 28] or [N, 784], \
            data row-major, flat or nested. Outputs: logits and probabilities [N, classes] (the members' logits averaged, \
            and their softmax: the numbers /predict gives), and member_logits [N, members, classes]; all three unless \
            outputs names some. name: a model's id, or default.""")
    InferResponse infer(@PathVariable String name, @RequestBody InferRequest request) {
        return inferVersion(name, null, request);
    }

    @PostMapping(path = "/models/{name}/versions/{version}/infer", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "v2InferVersion", summary = "Inference on tensors, by one version", description = "404 for a version the model does not serve.")
    InferResponse inferVersion(@PathVariable String name, @PathVariable @Nullable String version, @RequestBody InferRequest request) {
        ModelView model = model(name);
        if (version != null) {
            loadedVersion(model, version);
        }
        if (request.inputs() == null || request.inputs().size() != 1 || !IMAGES.equals(request.inputs().get(0).name())) {
            throw new BadTensor("expected exactly one input, named " + IMAGES);
        }
        RequestInput input = request.inputs().get(0);
        int count = imageCount(input.shape());
        float[] pixels = pixels(input, count);
        List<String> wanted = request.outputs() == null || request.outputs().isEmpty() ? OUTPUTS
                : request.outputs().stream().map(RequestOutput::name).toList();
        for (String output : wanted) {
            if (!OUTPUTS.contains(output)) {
                throw new BadTensor("unknown output " + output + "; this model has " + String.join(", ", OUTPUTS));
            }
        }
        Predictor.Tensors tensors = predictor.tensors(model.id(), pixels, count);
        Map<String, Function<Predictor.Tensors, ResponseOutput>> outputs = Map.of(
                "logits", t -> matrix("logits", t.logits()),
                "probabilities", t -> matrix("probabilities", t.probabilities()),
                "member_logits", t -> cube(t.memberLogits()));
        return new InferResponse(request.id(), tensors.model().id(), tensors.model().version(),
                wanted.stream().map(output -> outputs.get(output).apply(tensors)).toList());
    }

    private ModelView model(String name) {
        if (DEFAULT.equals(name)) {
            return registry.defaultModel().orElseThrow(() -> new UnknownModel("no default model is set"));
        }
        try {
            return registry.get(UUID.fromString(name).toString());
        } catch (IllegalArgumentException notAnId) {
            throw new UnknownModel("no model named " + name + ": a model's name is its job id, or " + DEFAULT);
        }
    }

    /** The loaded model's version; a request for another one is for a model that does not exist. */
    private String loadedVersion(ModelView model, @Nullable String requested) {
        String loaded = predictor.version(model.id());
        if (requested != null && !requested.equals(loaded)) {
            throw new UnknownModel("model " + model.id() + " has no version " + requested + "; its version is " + loaded);
        }
        return loaded;
    }

    private static int imageCount(@Nullable List<Long> shape) {
        boolean nchw = shape != null && shape.size() == 4 && shape.get(1) == 1 && shape.get(2) == InputShape.SIDE && shape.get(3) == InputShape.SIDE;
        boolean flat = shape != null && shape.size() == 2 && shape.get(1) == InputShape.PIXELS;
        if (!(nchw || flat) || shape.get(0) < 1) {
            throw new BadTensor("images must be shaped [N, 1, 28, 28] or [N, 784] with N >= 1, not " + shape);
        }
        return Math.toIntExact(Math.min(shape.get(0), Integer.MAX_VALUE));
    }

    private static float[] pixels(RequestInput input, int count) {
        boolean bytes = "UINT8".equals(input.datatype());
        if (!bytes && !"FP32".equals(input.datatype())) {
            throw new BadTensor("images must be FP32 (0..1) or UINT8 (0..255), not " + input.datatype());
        }
        List<JsonNode> values = new ArrayList<>();
        flatten(input.data(), values);
        long expected = (long) count * InputShape.PIXELS;
        if (values.size() != expected) {
            throw new BadTensor("images has " + values.size() + " values; its shape says " + expected);
        }
        float[] pixels = new float[values.size()];
        for (int p = 0; p < pixels.length; p++) {
            JsonNode value = values.get(p);
            double v = value.isNumber() ? value.asDouble() : Double.NaN;
            boolean valid = bytes ? value.isIntegralNumber() && v >= 0 && v <= 255 : v >= 0 && v <= 1;
            if (!valid) {
                throw new BadTensor("images[" + p + "] is " + value + "; " + (bytes ? "UINT8 values are integers 0..255" : "FP32 values are 0..1"));
            }
            // As /predict and training scale bytes: in float, so the same byte gives the same pixel.
            pixels[p] = bytes ? value.asInt() / 255f : (float) v;
        }
        return pixels;
    }

    private static void flatten(@Nullable JsonNode node, List<JsonNode> into) {
        if (node == null || !node.isArray()) {
            throw new BadTensor("images' data must be an array of numbers, flat or nested");
        }
        for (JsonNode element : node) {
            if (element.isArray()) {
                flatten(element, into);
            } else {
                into.add(element);
            }
        }
    }

    private static ResponseOutput matrix(String name, float[][] values) {
        List<Float> data = new ArrayList<>();
        for (float[] row : values) {
            for (float v : row) {
                data.add(v);
            }
        }
        return new ResponseOutput(name, List.of((long) values.length, (long) (values.length == 0 ? 0 : values[0].length)), "FP32", data);
    }

    private static ResponseOutput cube(float[][][] values) {
        List<Float> data = new ArrayList<>();
        for (float[][] matrix : values) {
            for (float[] row : matrix) {
                for (float v : row) {
                    data.add(v);
                }
            }
        }
        return new ResponseOutput("member_logits", List.of((long) values.length, (long) values[0].length, (long) values[0][0].length), "FP32", data);
    }

    /** A request whose tensors this model cannot take. */
    static final class BadTensor extends RuntimeException {
        BadTensor(String message) {
            super(message);
        }
    }
}
