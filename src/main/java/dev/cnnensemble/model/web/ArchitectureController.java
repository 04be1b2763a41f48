package dev.cnnensemble.model.web;

import dev.cnnensemble.model.Architecture;
import dev.cnnensemble.model.ArchitectureCatalog;
import dev.cnnensemble.model.NetworkSummary;
import dev.cnnensemble.support.ProblemException;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
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
    @ApiResponse(responseCode = "404", description = "No such architecture",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    NetworkSummary get(@Parameter(example = "cnn", description = "cnn, cnn-bn or resnet") @PathVariable String id) {
        return catalog.summary(architecture(id));
    }

    @GetMapping(value = "/{id}", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(operationId = "getArchitecture")
    String table(@PathVariable String id) {
        return catalog.summary(architecture(id)).toTable();
    }

    /** An id in the path names a resource: one that does not exist is a 404, not a malformed request. */
    private static Architecture architecture(String id) {
        try {
            return Architecture.fromId(id);
        } catch (IllegalArgumentException unknown) {
            throw new ProblemException(HttpStatus.NOT_FOUND, "Architecture not found", unknown.getMessage());
        }
    }
}
