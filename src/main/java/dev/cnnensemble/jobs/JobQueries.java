package dev.cnnensemble.jobs;

import dev.cnnensemble.jobs.JobExceptions.NotFound;
import dev.cnnensemble.support.StoredJson;
import dev.cnnensemble.training.CheckpointInfo;
import dev.cnnensemble.training.TrainingConfig;
import dev.cnnensemble.training.TrainingEngine;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import tools.jackson.databind.json.JsonMapper;
import org.jspecify.annotations.Nullable;

/** Jobs as the API shows them, assembled from the database on whichever replica is asked. */
@Service
public class JobQueries {

    private final JobRepository jobs;
    private final JobHistory history;
    private final MemberProgressStore progress;
    private final TrainingEngine engine;
    private final JsonMapper json;
    private final Clock clock;
    private final JdbcClient jdbc;

    JobQueries(JobRepository jobs, JobHistory history, MemberProgressStore progress, TrainingEngine engine, JsonMapper json, Clock clock,
               JdbcClient jdbc) {
        this.jobs = jobs;
        this.jdbc = jdbc;
        this.history = history;
        this.progress = progress;
        this.engine = engine;
        this.json = StoredJson.reader(json);
        this.clock = clock;
    }

    /**
     * A SUCCEEDED job as a model: its configuration and the test accuracies of its last epoch.
     *
     * @param memberTestAccuracies each member's, in member order
     */
    public record Trained(String id, @Nullable String name, TrainingConfig config, @Nullable Instant finishedAt, @Nullable Double testAccuracy,
                          List<Double> memberTestAccuracies) {
    }

    /** Every SUCCEEDED job, newest first, in one query. */
    public List<Trained> trained() {
        return trained("", Map.of());
    }

    /** A SUCCEEDED job, or empty when there is none with this id or it has not succeeded. */
    public Optional<Trained> trained(String id) {
        return trained("AND j.id = :id", Map.of("id", id)).stream().findFirst();
    }

    private List<Trained> trained(String condition, Map<String, Object> params) {
        record Row(String id, @Nullable String name, String configJson, @Nullable Instant finishedAt, @Nullable Integer member,
                   @Nullable Double testAccuracy) {
        }
        List<Row> rows = jdbc.sql("""
                        SELECT j.id, j.name, j.config_json, j.finished_at, e.member, e.test_accuracy FROM job_record j
                        LEFT JOIN epoch_record e ON e.job_id = j.id
                            AND e.epoch = (SELECT MAX(x.epoch) FROM epoch_record x WHERE x.job_id = j.id)
                        WHERE j.state = 'SUCCEEDED' %s
                        ORDER BY j.created_at DESC, j.id, e.member""".formatted(condition))
                .params(params)
                .query((rs, n) -> new Row(rs.getString("id"), rs.getString("name"), rs.getString("config_json"),
                        MemberProgressStore.instant(rs, "finished_at"), rs.getObject("member", Integer.class),
                        rs.getObject("test_accuracy", Double.class)))
                .list();
        Map<String, List<Row>> byJob = rows.stream().collect(Collectors.groupingBy(Row::id, LinkedHashMap::new, Collectors.toList()));
        return byJob.values().stream().map(job -> {
            Row first = job.get(0);
            Double ensemble = job.stream().filter(r -> Integer.valueOf(EpochRecord.ENSEMBLE).equals(r.member()))
                    .map(Row::testAccuracy).findFirst().orElse(null);
            List<Double> members = job.stream().filter(r -> r.member() != null && r.member() >= 0).map(Row::testAccuracy).toList();
            return new Trained(first.id(), first.name(), json.readValue(first.configJson(), TrainingConfig.class), first.finishedAt(),
                    ensemble, members);
        }).toList();
    }

    public JobView get(String id) {
        return view(jobs.findById(id).orElseThrow(() -> new NotFound(id)));
    }

    /** A page of jobs, newest first, without their history and checkpoints. */
    public Page<JobView> list(JobState state, int page, int size) {
        PageRequest request = PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "createdAt"));
        Page<Job> found = state == null ? jobs.findAll(request) : jobs.findByState(state, request);
        Map<String, List<MemberProgressStore.Row>> rows = progress.forJobs(found.map(Job::id).toList()).stream()
                .collect(Collectors.groupingBy(MemberProgressStore.Row::jobId));
        return found.map(job -> assemble(job, config(job), rows.getOrDefault(job.id(), List.of()), null, null));
    }

    public long countByState(JobState state) {
        return jobs.countByState(state);
    }

    JobView view(Job job) {
        TrainingConfig config = config(job);
        return assemble(job, config, progress.forJob(job.id()), history.view(job.id(), config.ensembleSize()),
                engine.checkpoints(job.id(), config.ensembleSize()));
    }

    TrainingConfig config(Job job) {
        return json.readValue(job.configJson, TrainingConfig.class);
    }

    String json(TrainingConfig config) {
        return json.writeValueAsString(config);
    }

    private JobView assemble(Job job, TrainingConfig config, List<MemberProgressStore.Row> rows, @Nullable List<JobView.EpochView> epochs,
                             @Nullable List<CheckpointInfo> checkpoints) {
        Map<Integer, MemberProgressStore.Row> byMember = rows.stream().collect(Collectors.toMap(MemberProgressStore.Row::member, Function.identity()));
        List<JobView.MemberView> members = IntStream.range(0, job.members.size())
                .mapToObj(m -> member(m, job.members.get(m), byMember.get(m))).toList();
        List<MemberTask> tasks = job.members;
        return new JobView(job.id, job.name, job.state, job.createdAt, job.startedAt, job.finishedAt, config,
                progress(job, config, byMember), members, epochs, checkpoints, job.error,
                tasks.stream().mapToInt(MemberTask::attempt).max().orElse(0),
                tasks.stream().map(t -> t.resumedAtEpoch).filter(e -> e != null).min(Comparator.naturalOrder()).orElse(null),
                tasks.stream().anyMatch(t -> t.resumedAtStep != null)
                        ? tasks.stream().mapToLong(t -> t.resumedAtStep == null ? 0 : t.resumedAtStep).sum() : null,
                job.stopReason == Job.StopReason.CANCEL && !job.state.isFinal());
    }

    private static JobView.MemberView member(int index, MemberTask task, MemberProgressStore.@Nullable Row row) {
        boolean running = task.state == MemberState.RUNNING;
        double percent = task.state == MemberState.DONE ? 100 : row == null || row.workTotal() == 0 ? 0 : 100.0 * row.workDone() / row.workTotal();
        return new JobView.MemberView(index, task.state, task.worker, task.attempt, row == null ? null : row.epoch(),
                row == null ? null : row.step(), percent, running && row != null ? row.samplesPerSecond() : null,
                task.resumedAtEpoch, task.resumedAtStep, task.error);
    }

    /**
     * The job's progress from its members' rows. The time left is the larger of two bounds: all the
     * work left at the members' combined pace, and the slowest running member's own work at its pace
     * (at the end, fewer members than workers remain).
     */
    JobView.Progress progress(Job job, TrainingConfig config, Map<Integer, MemberProgressStore.Row> rows) {
        long perMember = rows.values().stream().mapToLong(MemberProgressStore.Row::workTotal).max().orElse(0);
        long total = 0;
        long done = 0;
        double pace = 0;
        double slowest = 0;
        double samplesPerSecond = 0;
        int running = 0;
        MemberProgressStore.Row behind = null;
        for (int m = 0; m < job.members.size(); m++) {
            MemberTask task = job.members.get(m);
            MemberProgressStore.Row row = rows.get(m);
            long memberTotal = row != null ? row.workTotal() : perMember;
            long memberDone = task.state == MemberState.DONE ? memberTotal : row != null ? row.workDone() : 0;
            total += memberTotal;
            done += memberDone;
            if (task.state == MemberState.RUNNING && row != null && row.attempt() == task.attempt) {
                running++;
                samplesPerSecond += row.samplesPerSecond();
                double memberPace = row.pace();
                pace += memberPace;
                if (memberPace > 0) {
                    slowest = Math.max(slowest, (memberTotal - memberDone) / memberPace);
                }
                if (behind == null || row.workDone() < behind.workDone()) {
                    behind = row;
                }
            }
        }
        double percent = job.state == JobState.SUCCEEDED ? 100 : total == 0 ? 0 : 100.0 * done / total;
        // While a member runs, work is left (its evaluation, at least): never 0.
        Long eta = job.state == JobState.SUCCEEDED ? Long.valueOf(0)
                : job.state != JobState.RUNNING || pace <= 0 ? null
                : Math.round(Math.max((total - done) / pace, slowest) - sinceUpdate(rows));
        return new JobView.Progress(percent, running, config.ensembleSize(), behind == null ? null : behind.epoch(), config.epochs(),
                behind == null ? null : behind.step(), perMember == 0 ? null : rows.values().iterator().next().stepsPerEpoch(),
                running == 0 ? null : samplesPerSecond, eta == null ? null : Math.max(job.state == JobState.RUNNING ? 1 : 0, eta));
    }

    /** Seconds since the freshest row was written: time that has passed off the estimate. */
    private double sinceUpdate(Map<Integer, MemberProgressStore.Row> rows) {
        long newest = rows.values().stream().mapToLong(r -> r.updatedAt().toEpochMilli()).max().orElse(clock.millis());
        return Math.max(0, (clock.millis() - newest) / 1000.0);
    }
}
