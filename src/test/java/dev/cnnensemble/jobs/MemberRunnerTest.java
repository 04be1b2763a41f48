package dev.cnnensemble.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.cnnensemble.training.CheckpointInfo;
import dev.cnnensemble.training.EpochMetrics;
import dev.cnnensemble.training.MemberEpoch;
import dev.cnnensemble.training.MemberListener;
import dev.cnnensemble.training.MemberOutcome;
import dev.cnnensemble.training.MemberProgress;
import dev.cnnensemble.training.MemberRun;
import dev.cnnensemble.training.MemberStart;
import dev.cnnensemble.training.TrainingConfig;
import dev.cnnensemble.training.TrainingDevice;
import dev.cnnensemble.training.TrainingEngine;
import dev.cnnensemble.training.Work;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Member tasks on the database queue, run by {@link MemberRunner} with a stand-in for the training
 * engine, on schedulers the test builds and stops itself: members of one job side by side, and the
 * two known ways db-scheduler can hand one task to two workers (#365: heartbeats stop at SIGINT while
 * the task still runs; #433: dead-worker detection reads its own JVM's clock), which the member's
 * attempt number fences off.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class MemberRunnerTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("cnn.data-dir", () -> Path.of("target", "member-runner-" + System.nanoTime()).toAbsolutePath().toString());
        registry.add("cnn.datasets.preload", () -> "");
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:member-runner-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        // The test's own schedulers are the workers.
        registry.add("cnn.jobs.enabled", () -> "false");
        registry.add("cnn.jobs.progress-interval", () -> "50ms");
    }

    @TestConfiguration
    static class StandIn {
        @Bean
        @Primary
        StandInEngine standInEngine() {
            return new StandInEngine();
        }
    }

    @Autowired
    JobCommands commands;
    @Autowired
    JobQueries queries;
    @Autowired
    StandInEngine engine;
    @Autowired
    DataSource dataSource;
    @Autowired
    CustomTask<Void> memberTask;
    @Autowired
    WorkerRegistry registry;

    private final List<Scheduler> schedulers = new ArrayList<>();

    @BeforeEach
    void reset() {
        engine.reset();
    }

    @AfterEach
    void stopSchedulers() {
        engine.stepMillis = 0;
        schedulers.forEach(Scheduler::stop);
    }

    @Test
    void theMembersOfAJobTrainSideBySideAndTheEnsembleRowFollowsTheLastOfThem() {
        start("pool", 2, Instant::now);

        String id = submit(2, 3);
        JobView done = await(id, job -> job.state() == JobState.SUCCEEDED);

        assertThat(engine.mostAtOnce.get()).as("both members at once").isEqualTo(2);
        assertThat(done.history()).hasSize(3).allSatisfy(epoch -> {
            assertThat(epoch.ensemble()).isNotNull();
            assertThat(epoch.members()).doesNotContainNull();
        });
        assertThat(done.history().get(2).ensemble().testAccuracy()).isEqualTo(0.95);
        assertThat(done.members()).extracting(JobView.MemberView::state).containsOnly(MemberState.DONE);
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.resumedAtEpoch()).as("never resumed").isNull();
        assertThat(done.progress().percent()).isEqualTo(100.0);
    }

    /** #365: a stopped scheduler leaves its task running without heartbeats, and another takes it over. */
    @Test
    void aWorkerThatLostItsLeaseAtShutdownStopsWithoutRecordingAndTheTakerFinishes() {
        engine.stepMillis = 100;
        Scheduler first = start("first", 1, Instant::now);
        String id = submit(1, 4);
        await(id, job -> job.members().get(0).epoch() != null && job.members().get(0).epoch() >= 2);

        // Heartbeats end with the scheduler, the training does not: its lease runs out.
        first.stop();
        start("second", 1, Instant::now);

        JobView done = await(id, job -> job.state() == JobState.SUCCEEDED);
        assertTakenOverOnce(done);
    }

    /** #433: a replica whose clock runs ahead sees a live worker's lease as expired. */
    @Test
    void aReplicaWithAClockAheadTakesOverAndTheFencedWorkerStops() {
        engine.stepMillis = 100;
        start("on-time", 1, Instant::now);
        String id = submit(1, 4);
        await(id, job -> job.members().get(0).epoch() != null && job.members().get(0).epoch() >= 2);

        start("ahead", 1, () -> Instant.now().plus(Duration.ofMinutes(10)));

        JobView done = await(id, job -> job.state() == JobState.SUCCEEDED);
        assertTakenOverOnce(done);
    }

    @Test
    void theWorkerListShowsEveryWorkerAndEachDeviceThatCannotTrain() {
        TrainingDevice ampere = new TrainingDevice(TrainingDevice.Kind.GPU, 0, "NVIDIA A100", "8.0", null);
        TrainingDevice hopper = new TrainingDevice(TrainingDevice.Kind.GPU, 1, "NVIDIA H200", "9.0", "no kernels for 9.0");

        registry.register("gpu-replica", List.of("gpu-replica/0"), WorkerPlan.of(List.of(ampere, hopper), 0, 16));

        assertThat(registry.list()).filteredOn(w -> w.replica().equals("gpu-replica"))
                .extracting(WorkerRegistry.WorkerView::id, WorkerRegistry.WorkerView::device, WorkerRegistry.WorkerView::problem)
                .containsExactly(tuple("gpu-replica/0", "gpu:0", null), tuple("gpu-replica/gpu:1", "gpu:1 NVIDIA H200", "no kernels for 9.0"));
        assertThat(registry.list()).filteredOn(w -> w.replica().equals("gpu-replica")).allMatch(WorkerRegistry.WorkerView::alive);
    }

    private void assertTakenOverOnce(JobView done) {
        assertThat(done.members().get(0).attempt()).isEqualTo(2);
        assertThat(done.members().get(0).worker()).isNull();
        assertThat(engine.stoppedEarly).as("the first worker stopped on finding its member taken").hasSize(1);
        assertThat(done.history()).extracting(JobView.EpochView::epoch).containsExactly(1, 2, 3, 4);
        assertThat(done.history()).allSatisfy(epoch -> assertThat(epoch.ensemble()).isNotNull());
    }

    private Scheduler start(String name, int threads, com.github.kagkarlsson.scheduler.Clock clock) {
        Scheduler scheduler = Scheduler.create(dataSource, memberTask).schedulerName(new SchedulerName.Fixed(name)).threads(threads)
                .heartbeatInterval(Duration.ofMillis(250)).missedHeartbeatsLimit(4).pollingInterval(Duration.ofMillis(100))
                .shutdownMaxWait(Duration.ofMillis(100)).clock(clock).build();
        scheduler.start();
        schedulers.add(scheduler);
        return scheduler;
    }

    private String submit(int members, int epochs) {
        TrainingConfig config = TrainingConfig.defaults().toBuilder().ensembleSize(members).epochs(epochs).build();
        return commands.submit(config, "stand-in", null).job().id();
    }

    private JobView await(String id, Predicate<JobView> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JobView job = queries.get(id);
            if (condition.test(job)) {
                return job;
            }
            assertThat(job.state()).as("job failed: %s", job.error()).isNotEqualTo(JobState.FAILED);
            assertThat(System.nanoTime()).as("waiting for %s", job).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Ten steps per epoch; member m's test accuracy is 0.6 + 0.1 m; the ensemble's is 0.95. */
    static final class StandInEngine implements TrainingEngine {
        final AtomicInteger active = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        final Queue<String> stoppedEarly = new ConcurrentLinkedQueue<>();
        volatile long stepMillis;

        void reset() {
            mostAtOnce.set(0);
            stoppedEarly.clear();
            stepMillis = 30;
        }

        @Override
        public MemberOutcome train(MemberRun run, MemberListener listener) {
            mostAtOnce.accumulateAndGet(active.incrementAndGet(), Math::max);
            Work work = new Work(10, 2, run.config().epochs());
            List<MemberEpoch> history = new ArrayList<>();
            try {
                listener.onStart(new MemberStart(1, 0, work, List.of()));
                for (int e = 1; e <= run.config().epochs(); e++) {
                    for (int s = 1; s <= work.stepsPerEpoch(); s++) {
                        if (run.stopRequested().getAsBoolean()) {
                            stoppedEarly.add(run.runId() + "/" + run.member());
                            return new MemberOutcome(false, history, null);
                        }
                        sleepThroughInterrupts(stepMillis);
                        listener.onStep(new MemberProgress(e, s, (e - 1L) * work.stepsPerEpoch() + s, work.done(e - 1, s), 1000));
                    }
                    MemberEpoch epoch = new MemberEpoch(e, new EpochMetrics(1.0 / e, 0.5, null, 0.6 + 0.1 * run.member()), 0.001, 0.3, 1000);
                    history.add(epoch);
                    listener.onEpoch(epoch);
                }
                return new MemberOutcome(true, history, null);
            } catch (Job.LostClaim lost) {
                stoppedEarly.add(run.runId() + "/" + run.member());
                throw lost;
            } finally {
                active.decrementAndGet();
            }
        }

        /** A scheduler shutting down interrupts its workers; training, like DL4J's, carries on. */
        private static void sleepThroughInterrupts(long millis) {
            long end = System.nanoTime() + millis * 1_000_000;
            boolean interrupted = false;
            for (long left = millis; left > 0; left = (end - System.nanoTime()) / 1_000_000) {
                try {
                    Thread.sleep(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public EpochMetrics ensemble(String runId, TrainingConfig config, int epoch, List<EpochMetrics> members) {
            return new EpochMetrics(members.stream().mapToDouble(EpochMetrics::loss).average().orElseThrow(), 0.9, null, 0.95);
        }

        @Override
        public List<CheckpointInfo> checkpoints(String runId, int ensembleSize) {
            return List.of();
        }

        @Override
        public void delete(String runId) {
        }
    }
}
