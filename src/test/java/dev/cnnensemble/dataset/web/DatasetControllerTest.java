package dev.cnnensemble.dataset.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

import dev.cnnensemble.dataset.DatasetCatalog;
import dev.cnnensemble.dataset.DatasetStore;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

@WebMvcTest(DatasetController.class)
// The controller alone: SecurityTest checks who may call it, over the whole service.
@AutoConfigureMockMvc(addFilters = false)
@Import(DatasetCatalog.class)
class DatasetControllerTest {

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    DatasetStore store;

    @Test
    void listsTheCatalogueWithClassNamesChecksumsAndDiskState() {
        given(store.isOnDisk("mnist")).willReturn(true);

        assertThat(mvc.get().uri("/datasets"))
                .hasStatusOk()
                .bodyJson()
                .hasPathSatisfying("$[0].name", v -> v.assertThat().isEqualTo("mnist"))
                .hasPathSatisfying("$[0].onDisk", v -> v.assertThat().isEqualTo(true))
                .hasPathSatisfying("$[0].files[0].sha256", v -> v.assertThat().isEqualTo("ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"))
                .hasPathSatisfying("$[0].classNames", v -> v.assertThat().asArray().containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"))
                .hasPathSatisfying("$[1].name", v -> v.assertThat().isEqualTo("fashion-mnist"))
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
}
