package dev.cnnensemble.jobs.web;

import dev.cnnensemble.jobs.WorkerRegistry;
import dev.cnnensemble.jobs.WorkerRegistry.WorkerView;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Jobs")
class WorkerController {

    private final WorkerRegistry workers;

    WorkerController(WorkerRegistry workers) {
        this.workers = workers;
    }

    @GetMapping(value = "/workers", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listWorkers", summary = "List the training workers",
            description = "Every training worker of every replica sharing the database: its replica, its device, the member it "
                    + "trains, and its last heartbeat. A replica that stopped reporting is listed as not alive for an hour.")
    List<WorkerView> list() {
        return workers.list();
    }
}
