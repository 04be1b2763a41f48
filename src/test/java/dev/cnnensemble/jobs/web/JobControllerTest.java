package dev.cnnensemble.jobs.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.times;

import dev.cnnensemble.jobs.JobExceptions;
import dev.cnnensemble.jobs.JobCommands;
import dev.cnnensemble.jobs.JobQueries;
import dev.cnnensemble.jobs.JobState;
import dev.cnnensemble.jobs.JobView;
import dev.cnnensemble.model.Architecture;
import dev.cnnensemble.training.CheckpointInfo;
import dev.cnnensemble.training.TrainingConfig;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

@WebMvcTest(JobController.class)
// The controller alone: SecurityTest checks who may call it, over the whole service.
@AutoConfigureMockMvc(addFilters = false)
class JobControllerTest {

    private static final String ID = "3f0e4e4c-8a5e-4c43-9d59-0c1f3a4f2b7e";

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    JobCommands commands;

    @MockitoBean
    JobQueries queries;

    @MockitoBean
    JobEventStream events;

    @Test
    void submitReturns202WithLocationAndTheJob() {
        given(commands.submit(any(), eq("baseline"), eq(null))).willReturn(new JobCommands.Submission(job(JobState.QUEUED), true));

        assertThat(mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"baseline\",\"architecture\":\"cnn-bn\",\"ensembleSize\":3,\"lrDecay\":{\"rate\":0.5},\"augmentation\":{}}"))
                .hasStatus(HttpStatus.ACCEPTED)
                .hasHeader("Location", "/jobs/" + ID)
                .hasHeader("Idempotent-Replayed", "false")
                .bodyJson().hasPathSatisfying("$.state", v -> v.assertThat().isEqualTo("QUEUED"));

        ArgumentCaptor<TrainingConfig> config = ArgumentCaptor.forClass(TrainingConfig.class);
        then(commands).should().submit(config.capture(), eq("baseline"), eq(null));
        assertThat(config.getValue().architecture()).isEqualTo(Architecture.CNN_BN);
        assertThat(config.getValue().ensembleSize()).isEqualTo(3);
        assertThat(config.getValue().lrDecay().rate()).isEqualTo(0.5);
        assertThat(config.getValue().augmentation()).isNotNull();
        assertThat(config.getValue().epochs()).as("unset fields stay unset for the defaults to fill").isNull();
    }

    @Test
    void anEmptyBodyIsTheTutorialsBaseline() {
        given(commands.submit(any(), any(), any())).willReturn(new JobCommands.Submission(job(JobState.QUEUED), true));

        assertThat(mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON).content("{}")).hasStatus(HttpStatus.ACCEPTED);

        ArgumentCaptor<TrainingConfig> config = ArgumentCaptor.forClass(TrainingConfig.class);
        then(commands).should().submit(config.capture(), eq(null), eq(null));
        assertThat(config.getValue().withDefaults()).isEqualTo(TrainingConfig.defaults());
    }

    @Test
    void theBestRecipeIsOneWordAndTheFieldsBesideItOverrideIt() {
        given(commands.submit(any(), any(), any())).willReturn(new JobCommands.Submission(job(JobState.QUEUED), true));

        assertThat(mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON).content("{\"recipe\": \"best\", \"epochs\": 2}"))
                .hasStatus(HttpStatus.ACCEPTED);
        assertThat(mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON).content("{\"recipe\": \"fastest\"}"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson().extractingPath("$.errors[0].field").isEqualTo("recipe");

        ArgumentCaptor<TrainingConfig> config = ArgumentCaptor.forClass(TrainingConfig.class);
        then(commands).should().submit(config.capture(), eq(null), eq(null));
        assertThat(config.getValue()).isEqualTo(TrainingConfig.bestRecipe().toBuilder().epochs(2).build());
        assertThat(config.getValue().ensembleSize()).isEqualTo(5);
        assertThat(config.getValue().augmentation()).isEqualTo(TrainingConfig.Augmentation.tutorial());
    }

    @Test
    void aSeedAbove2To53IsAcceptedAsANumberOrAStringAndWrittenAsAStringToEveryDigit() {
        long seed = 541_443_718_512_448_028L; // above 2^53: a double, as JavaScript and jq read numbers, would round it
        JobView job = job(JobState.QUEUED, seed);
        given(commands.submit(any(), any(), any())).willReturn(new JobCommands.Submission(job, true));
        given(queries.get(ID)).willReturn(job);
        given(queries.list(null, 0, 20)).willReturn(new org.springframework.data.domain.PageImpl<>(List.of(job)));

        for (String sent : List.of(String.valueOf(seed), "\"" + seed + "\"")) {
            var submitted = assertThat(mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON).content("{\"seed\": " + sent + "}"));
            submitted.hasStatus(HttpStatus.ACCEPTED);
            submitted.bodyJson().extractingPath("$.config.seed").isEqualTo(String.valueOf(seed));
        }
        ArgumentCaptor<TrainingConfig> config = ArgumentCaptor.forClass(TrainingConfig.class);
        then(commands).should(times(2)).submit(config.capture(), any(), any());
        assertThat(config.getAllValues()).extracting(TrainingConfig::seed).containsExactly(seed, seed);

        var got = assertThat(mvc.get().uri("/jobs/" + ID)).hasStatusOk();
        got.bodyJson().extractingPath("$.config.seed").isEqualTo(String.valueOf(seed));
        got.bodyJson().extractingPath("$.checkpoints[0].seed").isEqualTo(String.valueOf(-seed));
        assertThat(mvc.get().uri("/jobs")).hasStatusOk().bodyJson().extractingPath("$.items[0].config.seed").isEqualTo(String.valueOf(seed));
    }

    @Test
    void aSeedThatIsNotAnIntegerIsA400NamingIt() {
        for (String sent : List.of("\"forty-two\"", "\"12345678901234567890\"", "\"\"")) {
            var response = assertThat(mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON).content("{\"seed\": " + sent + "}"));
            response.hasStatus(HttpStatus.BAD_REQUEST).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
            response.bodyJson().extractingPath("$.detail").as(sent).isEqualTo("seed must be an integer");
        }
        then(commands).shouldHaveNoInteractions();
    }

    @Test
    void aRetriedPostWithTheSameIdempotencyKeySaysItReplayed() {
        given(commands.submit(any(), any(), eq("key-1"))).willReturn(new JobCommands.Submission(job(JobState.RUNNING), false));

        assertThat(mvc.post().uri("/jobs").header("Idempotency-Key", "key-1").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .hasStatus(HttpStatus.ACCEPTED)
                .hasHeader("Idempotent-Replayed", "true")
                .hasHeader("Location", "/jobs/" + ID);
    }

    @Test
    void everyInvalidFieldIsListedInTheProblemDetail() {
        var response = assertThat(mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON).content("""
                {"name":"%s","ensembleSize":11,"epochs":0,"batchSize":5000,"learningRate":0,
                 "lrDecay":{"rate":2,"steps":0},"augmentation":{"copies":-1,"maxRotationDegrees":400},"validationSplit":0.5}""".formatted("n".repeat(101))));

        response.hasStatus(HttpStatus.BAD_REQUEST).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.bodyJson().extractingPath("$.detail").isEqualTo("10 fields are invalid");
        response.bodyJson().extractingPath("$.errors[*].field").asArray().containsExactly(
                "augmentation.copies", "augmentation.maxRotationDegrees", "batchSize", "ensembleSize", "epochs", "learningRate",
                "lrDecay.rate", "lrDecay.steps", "name", "validationSplit");
        response.bodyJson().extractingPath("$.errors[3].message").isEqualTo("must be less than or equal to 10");
        response.bodyJson().extractingPath("$.errors[3].rejectedValue").isEqualTo(11);
        then(commands).shouldHaveNoInteractions();
        then(queries).shouldHaveNoInteractions();
    }

    @Test
    void anUnknownArchitectureSaysWhichOnesExist() {
        assertThat(mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON).content("{\"architecture\":\"vgg\"}"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson().hasPathSatisfying("$.errors[0]", v -> v.assertThat().asMap()
                        .containsEntry("field", "architecture")
                        .containsEntry("message", "unknown architecture 'vgg'; expected one of cnn, cnn-bn, resnet"));
        then(commands).shouldHaveNoInteractions();
    }

    @Test
    void malformedJsonIsA400ProblemDetail() {
        assertThat(mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON).content("{\"epochs\": \"many\""))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson().hasPathSatisfying("$.detail", v -> v.assertThat().asString().isNotBlank());
    }

    @Test
    void aMistypedOrUnknownFieldIsNamed() {
        var wrongType = assertThat(mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON).content("{\"learningRate\": \"fast\"}"));
        wrongType.hasStatus(HttpStatus.BAD_REQUEST).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        wrongType.bodyJson().extractingPath("$.errors[0].field").isEqualTo("learningRate");
        wrongType.bodyJson().extractingPath("$.errors[0].message").isEqualTo("must be a number");
        wrongType.bodyJson().extractingPath("$.errors[0].rejectedValue").isEqualTo("fast");

        var unknown = assertThat(mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON).content("{\"augmentation\": {\"copiez\": 2}}"));
        unknown.hasStatus(HttpStatus.BAD_REQUEST);
        unknown.bodyJson().extractingPath("$.errors[0].field").isEqualTo("augmentation.copiez");
        unknown.bodyJson().extractingPath("$.errors[0].message").isEqualTo("is not a known field");
        then(commands).shouldHaveNoInteractions();
        then(queries).shouldHaveNoInteractions();
    }

    @Test
    void aBodyThatIsNotJsonIs415() {
        assertThat(mvc.post().uri("/jobs").contentType(MediaType.TEXT_PLAIN).content("epochs=3"))
                .hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void anIdThatIsNotAUuidIs400AndAnUnknownOneIs404() {
        given(queries.get(ID)).willThrow(new JobExceptions.NotFound(ID));

        assertThat(mvc.get().uri("/jobs/not-a-uuid"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson().hasPathSatisfying("$.errors[0].field", v -> v.assertThat().isEqualTo("id"));
        assertThat(mvc.get().uri("/jobs/" + ID))
                .hasStatus(HttpStatus.NOT_FOUND)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson().hasPathSatisfying("$.detail", v -> v.assertThat().isEqualTo("no job with id " + ID));
    }

    @Test
    void aFullQueueIs503WithRetryAfter() {
        given(commands.submit(any(), any(), any())).willThrow(new JobExceptions.QueueFull(32, 30));

        assertThat(mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
                .hasHeader("Retry-After", "30")
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson().hasPathSatisfying("$.title", v -> v.assertThat().isEqualTo("Training queue full"));
    }

    @Test
    void stateConflictsAre409() {
        given(commands.cancel(ID)).willThrow(new JobExceptions.Conflict("job " + ID + " is already SUCCEEDED"));
        given(commands.resume(ID)).willThrow(new JobExceptions.Conflict("only CANCELLED or FAILED jobs can be resumed"));
        org.mockito.BDDMockito.willThrow(new JobExceptions.Conflict("job is RUNNING; cancel it before deleting it")).given(commands).delete(ID);

        assertThat(mvc.post().uri("/jobs/" + ID + "/cancel")).hasStatus(HttpStatus.CONFLICT).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(mvc.post().uri("/jobs/" + ID + "/resume")).hasStatus(HttpStatus.CONFLICT);
        assertThat(mvc.delete().uri("/jobs/" + ID)).hasStatus(HttpStatus.CONFLICT);
    }

    @Test
    void cancelResumeAndDeleteSucceed() {
        given(commands.cancel(ID)).willReturn(job(JobState.RUNNING));
        given(commands.resume(ID)).willReturn(job(JobState.QUEUED));

        assertThat(mvc.post().uri("/jobs/" + ID + "/cancel")).hasStatus(HttpStatus.ACCEPTED);
        assertThat(mvc.post().uri("/jobs/" + ID + "/resume")).hasStatus(HttpStatus.ACCEPTED);
        assertThat(mvc.delete().uri("/jobs/" + ID)).hasStatus(HttpStatus.NO_CONTENT);
        then(commands).should().delete(ID);
    }

    @Test
    void listPagesAndFiltersByState() {
        given(queries.list(JobState.RUNNING, 1, 5)).willReturn(new org.springframework.data.domain.PageImpl<>(
                List.of(job(JobState.RUNNING)), org.springframework.data.domain.PageRequest.of(1, 5), 6));

        assertThat(mvc.get().uri("/jobs?state=RUNNING&page=1&size=5"))
                .hasStatusOk()
                .bodyJson()
                .hasPathSatisfying("$.items[0].id", v -> v.assertThat().isEqualTo(ID))
                .hasPathSatisfying("$.totalElements", v -> v.assertThat().isEqualTo(6))
                .hasPathSatisfying("$.totalPages", v -> v.assertThat().isEqualTo(2));
        assertThat(mvc.get().uri("/jobs?state=DONE")).hasStatus(HttpStatus.BAD_REQUEST).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(mvc.get().uri("/jobs?size=1000")).hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson().hasPathSatisfying("$.errors[0].field", v -> v.assertThat().isEqualTo("size"));
    }

    private static JobView job(JobState state) {
        return job(state, TrainingConfig.defaults().seed());
    }

    private static JobView job(JobState state, long seed) {
        Instant created = Instant.parse("2026-11-28T12:00:00Z");
        CheckpointInfo checkpoint = new CheckpointInfo(0, 1, 0, "epoch-1.zip", null, 1, 600, 0.001, -seed, 0, null, created);
        return new JobView(ID, "baseline", state, created, null, null, TrainingConfig.defaults().toBuilder().seed(seed).build(),
                new JobView.Progress(0, 0, 1, null, 15, null, null, null, null), List.of(), List.of(), List.of(checkpoint), null, 0, null, null, false);
    }
}
