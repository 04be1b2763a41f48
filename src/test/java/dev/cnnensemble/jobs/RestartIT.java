package dev.cnnensemble.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnensemble.dataset.LabeledImages;
import dev.cnnensemble.dataset.RealData;
import dev.cnnensemble.dataset.RequiresMnist;
import dev.cnnensemble.support.ServiceProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * The packaged service killed or stopped in the middle of a job, then started again: the job
 * resumes from its checkpoint and no completed epoch is trained twice. 60 steps per epoch. The
 * model it becomes, and its place as the default, survive a further restart.
 */
@RequiresMnist
class RestartIT {

    private static final String JOB = """
            {"name": "restart", "epochs": 3, "trainLimit": 6000, "testLimit": 500}""";
    private static final List<String> JVM = List.of("-Xmx2g");
    private static final LabeledImages TEST = RealData.mnist().test();

    @Test
    void afterKillNineTheJobResumesFromItsLastEpochCheckpoint() throws InterruptedException {
        Path dataDir = RealData.freshDataDir();
        String id;
        try (ServiceProcess first = ServiceProcess.start(dataDir, JVM)) {
            id = first.api().post("/jobs", JOB).get("id").asString();
            first.api().awaitJob(id, Duration.ofMinutes(3), job -> job.at("/progress/epoch").asInt() == 2 && job.at("/progress/step").asInt() >= 5);
            first.kill();
        }

        try (ServiceProcess second = ServiceProcess.start(dataDir, JVM)) {
            JsonNode done = second.api().awaitJob(id, Duration.ofMinutes(3), job -> job.get("state").asString().equals("SUCCEEDED"));

            assertThat(done.get("attempts").asInt()).isEqualTo(2);
            assertThat(done.get("resumedAtEpoch").asInt()).as("epoch 1 is not trained again").isEqualTo(2);
            assertThat(done.get("resumedAtStep").asLong()).as("a kill leaves the epoch-1 checkpoint").isEqualTo(60);
            assertThat(done.get("history").findValues("epoch")).extracting(JsonNode::asInt).containsExactly(1, 2, 3);
            assertThat(second.api().get("/models/default").get("id").asString()).as("the first model is the default").isEqualTo(id);
            second.terminate(Duration.ofSeconds(60));
        }

        try (ServiceProcess third = ServiceProcess.start(dataDir, JVM)) {
            assertThat(third.api().get("/models/default").get("id").asString()).as("the default survives a restart").isEqualTo(id);
            String digit = IntStream.range(0, 784).mapToObj(p -> String.valueOf(Byte.toUnsignedInt(TEST.pixels()[p])))
                    .collect(Collectors.joining(",", "{\"images\": [[", "]]}"));
            JsonNode prediction = third.api().post("/predict", digit);
            assertThat(prediction.at("/model/id").asString()).isEqualTo(id);
            assertThat(prediction.at("/predictions/0/label").asInt()).as("MNIST's first test digit").isEqualTo(TEST.label(0));
            terminateWhilePredicting(third, digit);
        }
    }

    @Test
    void sigtermCheckpointsAtTheNextStepAndTheJobResumesThereOnRestart() {
        Path dataDir = RealData.freshDataDir();
        String id;
        try (ServiceProcess first = ServiceProcess.start(dataDir, JVM)) {
            id = first.api().post("/jobs", JOB).get("id").asString();
            first.api().awaitJob(id, Duration.ofMinutes(3), job -> job.at("/progress/epoch").asInt() == 2 && job.at("/progress/step").asInt() >= 5);
            first.terminate(Duration.ofSeconds(60));
        }

        try (ServiceProcess second = ServiceProcess.start(dataDir, JVM)) {
            JsonNode done = second.api().awaitJob(id, Duration.ofMinutes(3), job -> job.get("state").asString().equals("SUCCEEDED"));

            assertThat(done.get("attempts").asInt()).isEqualTo(2);
            assertThat(done.get("resumedAtEpoch").asInt()).isEqualTo(2);
            assertThat(done.get("resumedAtStep").asLong()).as("resumed from the mid-epoch checkpoint SIGTERM wrote").isGreaterThan(60 + 4);
            assertThat(done.get("history").findValues("epoch")).extracting(JsonNode::asInt).containsExactly(1, 2, 3);
            second.terminate(Duration.ofSeconds(60));
        }
    }

    /**
     * SIGTERM while clients keep the model's passes going: the service still exits as it should. ONNX
     * Runtime releases its environment in a JVM shutdown hook of its own, so a pass under way when the
     * JVM began to exit crashed it.
     */
    private static void terminateWhilePredicting(ServiceProcess service, String digit) throws InterruptedException {
        AtomicInteger served = new AtomicInteger();
        Runnable client = () -> {
            try {
                while (true) {
                    service.api().post("/predict", digit);
                    served.incrementAndGet();
                }
            } catch (RuntimeException refusedOnceStopping) {
                // the service is going away
            }
        };
        ExecutorService clients = Executors.newFixedThreadPool(3);
        IntStream.range(0, 3).forEach(c -> clients.execute(client));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (served.get() < 50) {
            assertThat(System.nanoTime()).as("50 predictions within 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
        service.terminate(Duration.ofSeconds(60));
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).as("every client saw the service go").isTrue();
    }
}
