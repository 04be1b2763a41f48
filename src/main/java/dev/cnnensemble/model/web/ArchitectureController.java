package dev.cnnensemble.model.web;

import dev.cnnensemble.model.Architecture;
import dev.cnnensemble.model.ArchitectureCatalog;
import dev.cnnensemble.model.NetworkSummary;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/architectures")
@Tag(name = "Architectures", description = "The networks of the tutorial, with their layers and parameter counts")
class ArchitectureController {

    private final ArchitectureCatalog catalog;

    ArchitectureController(ArchitectureCatalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping
    @Operation(operationId = "listArchitectures", summary = "List the architectures with their layer-by-layer summaries")
    List<NetworkSummary> list() {
        return catalog.all();
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getArchitecture", summary = "Summarise one architecture",
            description = "As JSON, or as a Keras-style table with Accept: text/plain.")
    NetworkSummary get(@Parameter(example = "cnn", description = "cnn, cnn-bn or resnet") @PathVariable String id) {
        return catalog.summary(Architecture.fromId(id));
    }

    @GetMapping(value = "/{id}", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(operationId = "getArchitecture")
    String table(@PathVariable String id) {
        return catalog.summary(Architecture.fromId(id)).toTable();
    }
}
