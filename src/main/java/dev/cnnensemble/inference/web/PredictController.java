package dev.cnnensemble.inference.web;

import dev.cnnensemble.imaging.ImagingExceptions.UndecodableImage;
import dev.cnnensemble.imaging.Preprocessing.Invert;
import dev.cnnensemble.inference.ImageInput;
import dev.cnnensemble.inference.Prediction;
import dev.cnnensemble.inference.Predictor;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import tools.jackson.databind.JsonNode;

@RestController
@Tag(name = "Prediction", description = "Digits in, the ensemble's averaged prediction out")
class PredictController {

    private static final String DESCRIPTION = """
            Three forms of request body, with the same options and the same answer:
            - multipart/form-data: one or more PNG, JPEG, GIF or BMP files (gray, RGB or RGBA) in the part \
            "images". Try: curl -F images=@seven.png 'localhost:8080/predict?preprocess=mnist'
            - one image as the whole body, typed image/png, image/jpeg, image/gif or image/bmp (the format is \
            told by the bytes), with a Content-Length. Try: curl --data-binary @seven.png -H 'Content-Type: image/png' \
            'localhost:8080/predict'
            - application/json: {"images": [...]}, each image 784 numbers row by row or 28 rows of 28 numbers, every \
            number in 0..1 or every number in 0..255. The mnist-seven example is a real MNIST digit.

            Each image goes through every member of the model; the members' logits are averaged, and the label is \
            their arg-max. Images are white on black like MNIST, or inverted first (invert=auto detects paper by a \
            light border). They must be 28x28 unless preprocess=mnist, which crops any image to its ink, scales it \
            into 20x20 and centres it by mass, as MNIST was made. Concurrent requests are batched together.""";

    /** What is done to an image before it reaches the model. */
    enum Preprocess { NONE, MNIST }

    /** The query parameters of both forms, bound by {@link PredictOptionsBinding}. */
    record PredictOptions(
            @Parameter(description = "Make the digit white on black: auto inverts images with a light border",
                    schema = @Schema(allowableValues = {"auto", "true", "false"}, defaultValue = "auto"))
            Invert invert,
            @Parameter(description = "mnist: crop to the ink, fit 20x20, centre by mass on 28x28; none: the image must be 28x28",
                    schema = @Schema(allowableValues = {"none", "mnist"}, defaultValue = "none"))
            Preprocess preprocess,
            @Parameter(description = "Also return each member's logits", schema = @Schema(type = "boolean", defaultValue = "false")) Boolean members,
            @Parameter(description = "Also return the 28x28 image each prediction was made from, after preprocessing",
                    schema = @Schema(type = "boolean", defaultValue = "false")) Boolean pixels,
            @Parameter(description = "The job id of the model to use; the default model if absent")
            UUID model) {

        Predictor.Options toOptions() {
            return new Predictor.Options(invert == null ? Invert.AUTO : invert, preprocess == Preprocess.MNIST, Boolean.TRUE.equals(members),
                    Boolean.TRUE.equals(pixels), model == null ? null : model.toString());
        }
    }

    /** The pixels form of a request. */
    record PixelsRequest(
            @ArraySchema(schema = @Schema(ref = "#/components/schemas/" + PixelImages.SCHEMA), minItems = 1)
            @NotEmpty List<JsonNode> images) {
    }

    private final Predictor predictor;

    PredictController(Predictor predictor) {
        this.predictor = predictor;
    }

    @PostMapping(path = "/predict", consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "predict", summary = "Predict digits: upload image files, or send pixels as JSON", description = DESCRIPTION)
    @ApiResponse(responseCode = "200", description = "One prediction per image, in order")
    @ApiResponse(responseCode = "400", description = "An image is empty or cannot be decoded; detail names the part", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(value = """
                    {"type": "about:blank", "title": "Invalid image", "status": 400, "instance": "/predict",
                     "detail": "images[1] (seven.png) cannot be decoded: Error reading PNG image data"}""")))
    @ApiResponse(responseCode = "409", description = "No model yet, or no default chosen; detail says what to do", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "413", description = "Too many images, or too many bytes", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "415", description = "Not multipart or JSON, or an image format other than PNG, JPEG, GIF or BMP",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "Not 28x28 without preprocess=mnist, or nothing to recognise", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(value = """
                    {"type": "about:blank", "title": "Image cannot be used", "status": 422, "instance": "/predict",
                     "detail": "images[0] (photo.jpg) is 640x480; images must be 28x28, or send preprocess=mnist to crop, scale and centre an image of any size the way MNIST was made"}""")))
    @ApiResponse(responseCode = "503", description = "Overloaded; retry after Retry-After seconds", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    // @RequestParam, not @RequestPart: the same part with the same 400 when it is missing, but @RequestPart's resolver
    // parses the method's parameter annotations again on every request (MethodParameter.isOptional in Spring 7.0),
    // 6% of a PNG prediction's request-thread time under bench/profile http.
    Prediction predictFiles(
            @Parameter(description = "One or more PNG, JPEG, GIF or BMP images (gray, RGB or RGBA)") @RequestParam("images") List<MultipartFile> images,
            @ParameterObject PredictOptions options) {
        List<ImageInput> inputs = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            MultipartFile file = images.get(i);
            try {
                inputs.add(new ImageInput.Encoded(file.getOriginalFilename(), file.getBytes()));
            } catch (IOException e) {
                throw new UndecodableImage("images[" + i + "]", "could not be read from the request: " + e.getMessage());
            }
        }
        return predictor.predict(inputs, options.toOptions());
    }

    // Not application/octet-stream: Spring takes a body without a Content-Type for one, and that deserves a 415.
    @PostMapping(path = "/predict", consumes = {MediaType.IMAGE_PNG_VALUE, MediaType.IMAGE_JPEG_VALUE, MediaType.IMAGE_GIF_VALUE, "image/bmp"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "predict")
    Prediction predictImage(@RequestBody byte[] image, @ParameterObject PredictOptions options) {
        return predictor.predict(List.of(new ImageInput.Encoded(null, image)), options.toOptions());
    }

    @PostMapping(path = "/predict", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "predict")
    Prediction predictPixels(
            @Valid @RequestBody PixelsRequest request, @ParameterObject PredictOptions options) {
        List<ImageInput> inputs = new ArrayList<>(request.images().size());
        for (int i = 0; i < request.images().size(); i++) {
            inputs.add(PixelImages.read(request.images().get(i), i));
        }
        return predictor.predict(inputs, options.toOptions());
    }
}
