package dev.cnnensemble.inference.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;

import dev.cnnensemble.imaging.ImagingExceptions;
import dev.cnnensemble.imaging.Preprocessing.Invert;
import dev.cnnensemble.inference.ImageInput;
import dev.cnnensemble.inference.InferenceExceptions;
import dev.cnnensemble.inference.Prediction;
import dev.cnnensemble.inference.Predictor;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

@WebMvcTest(PredictController.class)
// The controller alone: SecurityTest checks who may call it, over the whole service.
@AutoConfigureMockMvc(addFilters = false)
class PredictControllerTest {

    private static final String MODEL = "3f0e4e4c-8a5e-4c43-9d59-0c1f3a4f2b7e";

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    Predictor predictor;

    private static Prediction answer() {
        float[] logits = {0, 0, 0, 0, 0, 0, 0, 9, 0, 0};
        return new Prediction(new Prediction.ModelRef(MODEL, "abc", "cnn", "mnist", 1, 15),
                List.of(new Prediction.ImagePrediction(0, "seven.png", 7, "7", logits, logits, null, 1.0, 0.01, 0.19, false, false, null)));
    }

    @Test
    void uploadsReachThePredictorWithTheirNamesAndOptions() {
        given(predictor.predict(anyList(), any())).willReturn(answer());

        assertThat(mvc.post().uri("/predict?invert=true&preprocess=mnist&members=true&pixels=true&model=" + MODEL).multipart()
                .file(new MockMultipartFile("images", "seven.png", "image/png", new byte[]{1, 2, 3}))
                .file(new MockMultipartFile("images", "two.png", "image/png", new byte[]{4})))
                .hasStatusOk()
                .bodyJson().hasPathSatisfying("$.predictions[0].label", v -> v.assertThat().isEqualTo(7))
                .hasPathSatisfying("$.predictions[0].className", v -> v.assertThat().isEqualTo("7"))
                .hasPathSatisfying("$.model.version", v -> v.assertThat().isEqualTo("abc"))
                .hasPathSatisfying("$.model.dataset", v -> v.assertThat().isEqualTo("mnist"));

        @SuppressWarnings("unchecked")
        ArgumentCaptor<List<ImageInput>> inputs = ArgumentCaptor.forClass(List.class);
        ArgumentCaptor<Predictor.Options> options = ArgumentCaptor.forClass(Predictor.Options.class);
        then(predictor).should().predict(inputs.capture(), options.capture());
        assertThat(inputs.getValue()).hasSize(2).first().isInstanceOfSatisfying(ImageInput.Encoded.class,
                e -> assertThat(e.fileName()).isEqualTo("seven.png"));
        assertThat(options.getValue()).isEqualTo(new Predictor.Options(Invert.TRUE, true, true, true, MODEL));
    }

    @Test
    void anImageMayBeTheWholeBody() {
        given(predictor.predict(anyList(), any())).willReturn(answer());

        assertThat(mvc.post().uri("/predict?preprocess=mnist&model=" + MODEL).contentType(MediaType.IMAGE_JPEG).content(new byte[]{1, 2, 3}))
                .hasStatusOk()
                .bodyJson().hasPathSatisfying("$.predictions[0].label", v -> v.assertThat().isEqualTo(7));

        @SuppressWarnings("unchecked")
        ArgumentCaptor<List<ImageInput>> inputs = ArgumentCaptor.forClass(List.class);
        ArgumentCaptor<Predictor.Options> options = ArgumentCaptor.forClass(Predictor.Options.class);
        then(predictor).should().predict(inputs.capture(), options.capture());
        assertThat(inputs.getValue()).singleElement().isInstanceOfSatisfying(ImageInput.Encoded.class, e -> {
            assertThat(e.fileName()).isNull();
            assertThat(e.bytes()).containsExactly(1, 2, 3);
        });
        assertThat(options.getValue()).isEqualTo(new Predictor.Options(Invert.AUTO, true, false, false, MODEL));
    }

    @Test
    void anImageBodyOverTheImageLimitIsRefusedFromItsContentLength() {
        assertThat(mvc.post().uri("/predict").contentType(MediaType.IMAGE_PNG).content(new byte[8 * 1024 * 1024 + 1]))
                .hasStatus(HttpStatus.CONTENT_TOO_LARGE)
                .bodyJson().extractingPath("$.detail")
                .isEqualTo("the image has 8388609 bytes; an image may have at most 8388608 (cnn.inference.max-image-size)");
        then(predictor).shouldHaveNoInteractions();
    }

    @Test
    void anOptionsRequestWithoutABodyListsTheMethods() {
        assertThat(mvc.options().uri("/predict")).hasStatusOk().hasHeader("Allow", "POST,OPTIONS");
    }

    @Test
    void optionsBindInAnyCaseAndAlsoAsFormFields() {
        given(predictor.predict(anyList(), any())).willReturn(answer());

        assertThat(mvc.post().uri("/predict?invert=FALSE&members=TRUE").multipart()
                .file(new MockMultipartFile("images", "seven.png", "image/png", new byte[]{1}))
                .param("preprocess", "Mnist")
                .param("pixels", "true"))
                .hasStatusOk();

        ArgumentCaptor<Predictor.Options> options = ArgumentCaptor.forClass(Predictor.Options.class);
        then(predictor).should().predict(anyList(), options.capture());
        assertThat(options.getValue()).isEqualTo(new Predictor.Options(Invert.FALSE, true, true, true, null));
    }

    @Test
    void defaultsAreAutoInvertNoPreprocessingAndTheDefaultModel() {
        given(predictor.predict(anyList(), any())).willReturn(answer());

        assertThat(mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON).content("{\"images\": [[0, 0.5, 1]]}")).hasStatusOk();

        ArgumentCaptor<Predictor.Options> options = ArgumentCaptor.forClass(Predictor.Options.class);
        then(predictor).should().predict(anyList(), options.capture());
        assertThat(options.getValue()).isEqualTo(new Predictor.Options(Invert.AUTO, false, false, false, null));
    }

    @Test
    void badParametersAreListedAndNeverReachThePredictor() {
        assertThat(mvc.post().uri("/predict?preprocess=sharpen&model=latest").contentType(MediaType.APPLICATION_JSON)
                .content("{\"images\": [[0]]}"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson().hasPathSatisfying("$.errors[*].field", v -> v.assertThat().asList().containsExactly("model", "preprocess"));
        assertThat(mvc.post().uri("/predict?invert=maybe").contentType(MediaType.APPLICATION_JSON).content("{\"images\": [[0]]}"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson().hasPathSatisfying("$.errors[0].message", v -> v.assertThat().isEqualTo("must be one of auto, true, false"));
        assertThat(mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON).content("{\"images\": []}"))
                .hasStatus(HttpStatus.BAD_REQUEST);
        then(predictor).shouldHaveNoInteractions();
    }

    @Test
    void jsonImagesMayBeTwentyEightRowsAndAWrongShapeIsSaidInWords() {
        given(predictor.predict(anyList(), any())).willReturn(answer());
        String row = "[" + "0,".repeat(27) + "255]";
        String image = "[" + (row + ",").repeat(27) + row + "]";

        assertThat(mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON).content("{\"images\": [" + image + "]}")).hasStatusOk();
        assertThat(mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON).content("{\"images\": [[" + row + "]]}"))
                .hasStatus(HttpStatus.UNPROCESSABLE_CONTENT)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson().extractingPath("$.detail").isEqualTo("images[0] has 1 row; expected 784 numbers row by row, or 28 rows of 28 numbers");

        @SuppressWarnings("unchecked")
        ArgumentCaptor<List<ImageInput>> inputs = ArgumentCaptor.forClass(List.class);
        then(predictor).should().predict(inputs.capture(), any());
        assertThat(inputs.getValue()).singleElement().isInstanceOfSatisfying(ImageInput.Pixels.class,
                p -> assertThat(p.values()).hasSize(784).contains(255f));
    }

    @Test
    void otherMediaTypesGet415AndAMissingPartGets400() {
        assertThat(mvc.post().uri("/predict").contentType(MediaType.TEXT_PLAIN).content("7"))
                .hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(mvc.post().uri("/predict").multipart().file(new MockMultipartFile("image", "x.png", "image/png", new byte[]{1})))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson().extractingPath("$.detail").isEqualTo("Required part 'images' is not present.");
    }

    @Test
    void theFeaturesErrorsBecomeProblemDetails() {
        given(predictor.predict(anyList(), any()))
                .willThrow(new ImagingExceptions.UnprocessableImage("images[0] is 27x28; images must be 28x28"))
                .willThrow(new ImagingExceptions.UnsupportedImageFormat("images[0]", "TIFF"))
                .willThrow(new InferenceExceptions.TooLarge("2000 images"))
                .willThrow(new InferenceExceptions.NoModel("no model has been trained yet"))
                .willThrow(new InferenceExceptions.Overloaded("busy", 1));
        String body = "{\"images\": [[0]]}";

        assertThat(mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON).content(body))
                .hasStatus(HttpStatus.UNPROCESSABLE_CONTENT)
                .bodyJson().hasPathSatisfying("$.detail", v -> v.assertThat().asString().contains("28x28"));
        assertThat(mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON).content(body)).hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
        assertThat(mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON).content(body)).hasStatus(HttpStatus.CONTENT_TOO_LARGE);
        assertThat(mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON).content(body)).hasStatus(HttpStatus.CONFLICT);
        assertThat(mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON).content(body))
                .hasStatus(HttpStatus.SERVICE_UNAVAILABLE).hasHeader("Retry-After", "1");
    }

    @Test
    void aJsonBodyOverTheLimitIsRefusedFromItsContentLength() {
        String huge = "{\"images\": [[" + "0,".repeat(17_000_000) + "0]]}";
        assertThat(mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON).content(huge))
                .hasStatus(HttpStatus.CONTENT_TOO_LARGE)
                .bodyJson().hasPathSatisfying("$.detail", v -> v.assertThat().asString().contains("cnn.inference.max-request-size"));
        then(predictor).shouldHaveNoInteractions();
    }
}
