package dev.cnnensemble.dataset.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.cnnensemble.dataset.DatasetCatalog;
import dev.cnnensemble.dataset.DatasetSpec;
import dev.cnnensemble.dataset.DatasetSpec.DataFile;
import dev.cnnensemble.dataset.DatasetStore;
import dev.cnnensemble.dataset.DatasetSummary;
import dev.cnnensemble.dataset.DatasetUploads;
import dev.cnnensemble.dataset.DatasetUploads.NewDataset;
import dev.cnnensemble.dataset.DatasetUploads.Source;
import dev.cnnensemble.dataset.Upload;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@WebMvcTest(DatasetController.class)
// The controller alone: SecurityTest checks who may call it, over the whole service.
@AutoConfigureMockMvc(addFilters = false)
@Import(DatasetControllerTest.BuiltInsOnly.class)
class DatasetControllerTest {

    /** The catalogue without a database: the built-ins. */
    @TestConfiguration
    static class BuiltInsOnly {
        @Bean
        DatasetCatalog catalog() {
            return new DatasetCatalog();
        }
    }

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    DatasetStore store;

    @MockitoBean
    DatasetUploads uploads;

    @Test
    void listsTheCatalogueWithClassNamesChecksumsAndDiskState() {
        given(store.summary(new DatasetCatalog().get("mnist"))).willReturn(Optional.of(new DatasetSummary(
                new DatasetSummary.Split(12, List.of(1, 1, 1, 1, 1, 1, 1, 1, 2, 2)), new DatasetSummary.Split(10, List.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 1)),
                9_000, List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 10))));

        assertThat(mvc.get().uri("/datasets"))
                .hasStatusOk()
                .bodyJson()
                .hasPathSatisfying("$[0].name", v -> v.assertThat().isEqualTo("mnist"))
                .hasPathSatisfying("$[0].onDisk", v -> v.assertThat().isEqualTo(true))
                .hasPathSatisfying("$[0].files[0].sha256", v -> v.assertThat().isEqualTo("ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"))
                .hasPathSatisfying("$[0].classNames", v -> v.assertThat().asArray().containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"))
                .hasPathSatisfying("$[0].builtIn", v -> v.assertThat().isEqualTo(true))
                .hasPathSatisfying("$[0].contents.train.perClass[9]", v -> v.assertThat().isEqualTo(2))
                .hasPathSatisfying("$[0].contents.samples[9].image", v -> v.assertThat().isEqualTo("/datasets/mnist/images/train/10"))
                .hasPathSatisfying("$[0].contents.samples[9].className", v -> v.assertThat().isEqualTo("9"))
                .hasPathSatisfying("$[1].name", v -> v.assertThat().isEqualTo("fashion-mnist"))
                .hasPathSatisfying("$[1].contents", v -> v.assertThat().isNull())
                .hasPathSatisfying("$[1].onDisk", v -> v.assertThat().isEqualTo(false))
                .hasPathSatisfying("$[1].classNames", v -> v.assertThat().asArray().containsExactly(
                        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"));
    }

    @Test
    void unknownDatasetIsA404ProblemDetail() {
        assertThat(mvc.get().uri("/datasets/cifar10"))
                .hasStatus(HttpStatus.NOT_FOUND)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .hasPathSatisfying("$.title", v -> v.assertThat().isEqualTo("Unknown dataset"))
                .hasPathSatisfying("$.detail", v -> v.assertThat().isEqualTo("unknown dataset 'cifar10'; known datasets: fashion-mnist, mnist"));
    }

    @Test
    void anUploadOfIdxFilesIsCreatedWithItsLocation() {
        DatasetSpec letters = DatasetSpec.uploaded("letters", "Two letters", List.of("a", "b"), List.of(
                new DataFile("train-images-idx3-ubyte", "1".repeat(64)), new DataFile("train-labels-idx1-ubyte", "2".repeat(64)),
                new DataFile("t10k-images-idx3-ubyte", "3".repeat(64)), new DataFile("t10k-labels-idx1-ubyte", "4".repeat(64))));
        given(uploads.create(any(), any())).willReturn(new Upload(letters, Instant.parse("2026-12-05T10:00:00Z")));

        assertThat(mvc.post().uri("/datasets").multipart()
                .file(new MockMultipartFile("trainImages", new byte[]{1}))
                .file(new MockMultipartFile("trainLabels", new byte[]{2}))
                .param("name", "letters").param("classNames", "a", "b").param("testSplit", "0.2"))
                .hasStatus(HttpStatus.CREATED)
                .hasHeader("Location", "/datasets/letters")
                .bodyJson()
                .hasPathSatisfying("$.builtIn", v -> v.assertThat().isEqualTo(false))
                .hasPathSatisfying("$.createdAt", v -> v.assertThat().isEqualTo("2026-12-05T10:00:00Z"))
                .hasPathSatisfying("$.classNames", v -> v.assertThat().asArray().containsExactly("a", "b"));
        ArgumentCaptor<NewDataset> request = ArgumentCaptor.forClass(NewDataset.class);
        verify(uploads).create(request.capture(), any(Source.Idx.class));
        assertThat(request.getValue()).isEqualTo(new NewDataset("letters", null, List.of("a", "b"), 0.2));
    }

    @Test
    void formsThatAreNeitherOneNorTheOtherAre400() {
        assertThat(mvc.post().uri("/datasets").multipart().param("name", "x"))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson()
                .hasPathSatisfying("$.detail", v -> v.assertThat().asString().contains("or a zip in the part archive"));
        assertThat(mvc.post().uri("/datasets").multipart().param("name", "x")
                .file(new MockMultipartFile("trainImages", new byte[]{1})).file(new MockMultipartFile("archive", new byte[]{1})))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson()
                .hasPathSatisfying("$.detail", v -> v.assertThat().asString().contains("not both"));
        assertThat(mvc.post().uri("/datasets").multipart().param("name", "x").param("preprocess", "mnist")
                .file(new MockMultipartFile("trainImages", new byte[]{1})).file(new MockMultipartFile("trainLabels", new byte[]{1})))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson()
                .hasPathSatisfying("$.detail", v -> v.assertThat().asString().contains("apply to the images of an archive"));
        verify(uploads, never()).create(any(), any());
    }

    @Test
    void aBadNameOrTestSplitIsAFieldProblem() {
        assertThat(mvc.post().uri("/datasets").multipart().param("name", "../Up").param("testSplit", "0.7")
                .file(new MockMultipartFile("archive", new byte[]{1})))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson()
                .hasPathSatisfying("$.errors[*].field", v -> v.assertThat().asArray().containsExactly("name", "testSplit"));
        verify(uploads, never()).create(any(), any());
    }

    @Test
    void aDeleteIsPassedOnAnd204() {
        assertThat(mvc.delete().uri("/datasets/letters")).hasStatus(HttpStatus.NO_CONTENT);
        verify(uploads).delete("letters");
    }

    @Test
    void anImageIsAGrayPngAndAnIndexPastTheEndIs404() throws IOException {
        DatasetSpec mnist = new DatasetCatalog().get("mnist");
        given(store.summary(mnist)).willReturn(Optional.of(new DatasetSummary(new DatasetSummary.Split(2, List.of(1, 1)),
                new DatasetSummary.Split(1, List.of(1, 0)), 100, List.of(0, 1))));
        byte[] pixels = new byte[784];
        pixels[0] = (byte) 255;
        given(store.pixels(mnist, false, 1)).willReturn(pixels);

        MvcTestResult png = mvc.get().uri("/datasets/mnist/images/train/1").exchange();
        assertThat(png).hasStatusOk().hasContentType(MediaType.IMAGE_PNG);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.getResponse().getContentAsByteArray()));
        assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
        assertThat(image.getRaster().getSample(0, 0, 0)).isEqualTo(255);
        assertThat(image.getRaster().getSample(1, 0, 0)).isZero();
        assertThat(mvc.get().uri("/datasets/mnist/images/test/1"))
                .hasStatus(HttpStatus.NOT_FOUND).bodyJson()
                .hasPathSatisfying("$.detail", v -> v.assertThat().isEqualTo("the test split of 'mnist' has 1 images, 0..0"));
    }
}
