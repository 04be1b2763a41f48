package dev.cnnensemble.jobs.web;

import dev.cnnensemble.jobs.JobCommands;
import dev.cnnensemble.jobs.JobQueries;
import dev.cnnensemble.jobs.JobState;
import dev.cnnensemble.jobs.JobView;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@RestController
@RequestMapping(value = "/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Jobs", description = "Asynchronous training of one model or an ensemble, with progress, cancel and resume")
class JobController {

    private final JobCommands commands;
    private final JobQueries queries;
    private final JobEventStream events;

    JobController(JobCommands commands, JobQueries queries, JobEventStream events) {
        this.commands = commands;
        this.queries = queries;
        this.events = events;
    }

    /** A page of jobs, newest first. */
    record JobPage(List<JobView> items, int page, int size, long totalElements, int totalPages) {
        static JobPage of(Page<JobView> page) {
            return new JobPage(page.getContent(), page.getNumber(), page.getSize(), page.getTotalElements(), page.getTotalPages());
        }
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "submitJob", summary = "Start training", description = """
            Queues a training job, one task per member, and returns at once with 202 and a Location header. Free \
            workers on any replica take the members, so the members of one job train side by side. Every field is optional: \
            {} trains the tutorial's baseline CNN on MNIST for 15 epochs, which takes an hour or more on a CPU; the \
            quick-trial example trains in one to two minutes. Send an Idempotency-Key to make a retried POST return the same \
            job instead of starting a second one.""", requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = JobRequest.class), examples = {
                    @ExampleObject(name = "quick-trial", ref = "#/components/examples/quick-trial"),
                    @ExampleObject(name = "tutorial-baseline", ref = "#/components/examples/tutorial-baseline"),
                    @ExampleObject(name = "tutorial-ensemble", ref = "#/components/examples/tutorial-ensemble"),
                    @ExampleObject(name = "tutorial-best", ref = "#/components/examples/tutorial-best")})))
    @ApiResponse(responseCode = "202", description = "Queued (or, with a known Idempotency-Key, the existing job)", content = @Content(
            schema = @Schema(implementation = JobView.class), examples = @ExampleObject(name = "job-queued", ref = "#/components/examples/job-queued")))
    @ApiResponse(responseCode = "400", description = "Invalid fields, listed in errors[]",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = """
                            {"type": "about:blank", "title": "Invalid request", "status": 400, "detail": "2 fields are invalid",
                             "instance": "/jobs", "errors": [
                               {"field": "architecture", "message": "must be cnn, cnn-bn or resnet", "rejectedValue": "vgg"},
                               {"field": "ensembleSize", "message": "must be less than or equal to 10", "rejectedValue": 11}]}""")))
    @ApiResponse(responseCode = "409", description = "A request with this Idempotency-Key is still being stored; retry after Retry-After",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "Unknown dataset; the detail lists the known ones",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "The dataset cannot be had on this machine (the detail says how to make it available), "
            + "or this Idempotency-Key came with another request (a new request needs a new key)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "503", description = "The queue is full; retry after Retry-After seconds",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = """
                            {"type": "about:blank", "title": "Training queue full", "status": 503,
                             "detail": "the training queue is full (32 jobs waiting); retry later", "instance": "/jobs"}""")))
    ResponseEntity<JobView> submit(@Valid @RequestBody JobRequest request,
                                   @Parameter(description = "Any unique string, e.g. a UUID, reused on retries")
                                   @RequestHeader(name = "Idempotency-Key", required = false) @Size(max = 200) String idempotencyKey) {
        JobCommands.Submission submission = commands.submit(request.toConfig(), request.name(), idempotencyKey);
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create("/jobs/" + submission.job().id()))
                .header("Idempotent-Replayed", String.valueOf(!submission.created()))
                .body(submission.job());
    }

    @GetMapping
    @Operation(operationId = "listJobs", summary = "List jobs", description = "Newest first, without their metric history; filter by state.")
    JobPage list(@RequestParam(required = false) JobState state,
                 @RequestParam(defaultValue = "0") @Min(0) int page,
                 @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        return JobPage.of(queries.list(state, page, size));
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getJob", summary = "Get a job", description = "State, timestamps, effective config, progress with ETA, the metric history "
            + "of each member and of the ensemble, the checkpoints, and the error of a failed job.")
    @ApiResponse(responseCode = "404", description = "No such job",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    JobView get(@PathVariable UUID id) {
        return queries.get(id.toString());
    }

    @PostMapping("/{id}/cancel")
    @Operation(operationId = "cancelJob", summary = "Cancel a job", description = "A queued job is cancelled at once; running members, on whichever "
            + "replica, finish their current step and write a checkpoint, then the job becomes CANCELLED (stopRequested is true meanwhile).")
    @ApiResponse(responseCode = "202", description = "Cancelled, or stopping at the next step")
    @ApiResponse(responseCode = "409", description = "The job has already ended",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<JobView> cancel(@PathVariable UUID id) {
        return ResponseEntity.accepted().body(commands.cancel(id.toString()));
    }

    @PostMapping("/{id}/resume")
    @Operation(operationId = "resumeJob", summary = "Resume a cancelled or failed job", description = "Queues it again; it continues from its last checkpoint.")
    @ApiResponse(responseCode = "202", description = "Queued again")
    @ApiResponse(responseCode = "409", description = "The job is not CANCELLED or FAILED",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<JobView> resume(@PathVariable UUID id) {
        return ResponseEntity.accepted().body(commands.resume(id.toString()));
    }

    @DeleteMapping("/{id}")
    @Operation(operationId = "deleteJob", summary = "Delete a finished job", description = "Removes the job, its history and its checkpoint files.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "409", description = "The job is queued or running; cancel it first",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        commands.delete(id.toString());
        return ResponseEntity.noContent().build();
    }

    @GetMapping(value = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(operationId = "followJob", summary = "Follow a job", description = """
            Server-Sent Events from any replica, wherever the members train: 'state' (the job, first and on every change), \
            'progress' (about twice a second while it changes) and 'epoch' (each epoch, as members finish it and once the \
            ensemble's figures are in). The stream ends when the job ends. Try: curl -N localhost:8080/jobs/{id}/events""")
    @ApiResponse(responseCode = "200", description = "text/event-stream: events named state, progress and epoch, each with JSON data",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string")))
    SseEmitter events(@PathVariable UUID id) {
        return events.subscribe(queries.get(id.toString()));
    }
}
