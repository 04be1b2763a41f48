package dev.cnnensemble.dataset.web;

import dev.cnnensemble.dataset.DatasetCatalog;
import dev.cnnensemble.dataset.DatasetSpec;
import dev.cnnensemble.dataset.DatasetStore;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/datasets")
@Tag(name = "Datasets", description = "The IDX datasets the service can train on")
class DatasetController {

    private final DatasetCatalog catalog;
    private final DatasetStore store;

    DatasetController(DatasetCatalog catalog, DatasetStore store) {
        this.catalog = catalog;
        this.store = store;
    }

    /** A catalogue entry and whether its verified files are already on the volume. */
    record DatasetView(
            @Schema(example = "fashion-mnist") String name,
            @Schema(example = "Zalando article images, 60,000 training and 10,000 test images") String description,
            @Schema(description = "The name of each label, by label: what a prediction's className says", example = """
                    ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]""")
            List<String> classNames,
            @Schema(description = "Whether its verified files are in the data directory") boolean onDisk,
            List<DatasetSpec.DataFile> files) {
    }

    @GetMapping
    @Operation(operationId = "listDatasets", summary = "List the datasets", description = "Each with its classes, its files' SHA-256 and whether they are on disk.")
    List<DatasetView> list() {
        return catalog.all().stream().map(this::view).toList();
    }

    @GetMapping("/{name}")
    @Operation(operationId = "getDataset", summary = "Describe one dataset")
    DatasetView get(@PathVariable String name) {
        return view(catalog.get(name));
    }

    private DatasetView view(DatasetSpec spec) {
        return new DatasetView(spec.name(), spec.description(), spec.classNames(), store.isOnDisk(spec.name()), spec.files());
    }
}
