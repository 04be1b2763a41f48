package dev.cnnensemble.model.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

import dev.cnnensemble.model.Architecture;
import dev.cnnensemble.model.ArchitectureCatalog;
import dev.cnnensemble.model.LayerSummary;
import dev.cnnensemble.model.NetworkSummary;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

@WebMvcTest(ArchitectureController.class)
// The controller alone: SecurityTest checks who may call it, over the whole service.
@AutoConfigureMockMvc(addFilters = false)
class ArchitectureControllerTest {

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    ArchitectureCatalog catalog;

    @Test
    void summarisesAnArchitectureAsJson() {
        given(catalog.summary(Architecture.CNN)).willReturn(new NetworkSummary(Architecture.CNN, "MultiLayerNetwork",
                List.of(new LayerSummary("conv1", "ConvolutionLayer", "(28, 28, 32)", 320)), 320));

        assertThat(mvc.get().uri("/architectures/cnn").accept(MediaType.APPLICATION_JSON))
                .hasStatusOk()
                .bodyJson()
                .hasPathSatisfying("$.architecture", v -> v.assertThat().isEqualTo("cnn"))
                .hasPathSatisfying("$.totalParameters", v -> v.assertThat().isEqualTo(320))
                .hasPathSatisfying("$.layers[0].outputShape", v -> v.assertThat().isEqualTo("(28, 28, 32)"));
    }

    @Test
    void unknownArchitectureIsA404ProblemDetail() {
        assertThat(mvc.get().uri("/architectures/vgg").accept(MediaType.APPLICATION_JSON))
                .hasStatus(HttpStatus.NOT_FOUND)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .hasPathSatisfying("$.detail", v -> v.assertThat().isEqualTo("unknown architecture 'vgg'; expected one of cnn, cnn-bn, resnet"))
                .hasPathSatisfying("$.status", v -> v.assertThat().isEqualTo(404));
    }
}
