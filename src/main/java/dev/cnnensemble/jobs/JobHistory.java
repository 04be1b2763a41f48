package dev.cnnensemble.jobs;

import dev.cnnensemble.training.EpochMetrics;
import dev.cnnensemble.training.EpochReport;
import dev.cnnensemble.training.MemberEpoch;
import dev.cnnensemble.training.TrainingConfig;
import dev.cnnensemble.training.TrainingEngine;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A job's figures per epoch: each member's row as soon as that member finishes the epoch, and the
 * ensemble's (averaged logits) as soon as every member has, whichever worker finishes last.
 */
@Component
class JobHistory {

    private static final Logger log = LoggerFactory.getLogger(JobHistory.class);

    private final EpochRepository epochs;
    private final JdbcClient jdbc;
    private final TrainingEngine engine;
    private final JobMetrics metrics;
    private final TransactionTemplate transactions;

    JobHistory(EpochRepository epochs, JdbcClient jdbc, TrainingEngine engine, JobMetrics metrics, TransactionTemplate transactions) {
        this.epochs = epochs;
        this.jdbc = jdbc;
        this.engine = engine;
        this.metrics = metrics;
        this.transactions = transactions;
    }

    /** Records a member's epoch while its worker still holds the member, then the ensemble's if it is complete. */
    void memberEpoch(MemberTaskId task, int attempt, TrainingConfig config, MemberEpoch epoch) {
        transactions.executeWithoutResult(status -> {
            // Locking the job's row waits out any change to the aggregate (which rewrites its member rows)
            // and keeps a takeover from slipping in between this check and the write.
            jdbc.sql("SELECT id FROM job_record WHERE id = ? FOR UPDATE").param(task.jobId()).query(String.class).optional();
            Integer held = jdbc.sql("SELECT attempt FROM member_task WHERE job_id = ? AND member = ? AND state = 'RUNNING'")
                    .params(task.jobId(), task.member()).query(Integer.class).optional().orElse(null);
            if (held == null || held != attempt) {
                throw new Job.LostClaim(task.jobId(), task.member(), attempt);
            }
            epochs.deleteRow(task.jobId(), epoch.epoch(), task.member());
            epochs.save(row(task.jobId(), task.member(), epoch, epoch.metrics()));
        });
        metrics.memberEpoch(config.architecture().id(), epoch);
        completeEpoch(task.jobId(), config, epoch.epoch());
    }

    /** Records the epochs a member's checkpoint holds that the database lacks: a crash fell between the two. */
    void backfill(MemberTaskId task, int attempt, TrainingConfig config, List<MemberEpoch> completed) {
        Set<Integer> recorded = epochs.findByJobIdOrderByEpochAscMemberAsc(task.jobId()).stream()
                .filter(r -> r.member() == task.member()).map(EpochRecord::epoch).collect(Collectors.toSet());
        completed.stream().filter(e -> !recorded.contains(e.epoch())).forEach(e -> memberEpoch(task, attempt, config, e));
    }

    private void completeEpoch(String jobId, TrainingConfig config, int epoch) {
        List<EpochRecord> rows = epochs.findByJobIdAndEpoch(jobId, epoch);
        if (rows.stream().anyMatch(r -> r.member() == EpochRecord.ENSEMBLE) || rows.size() < config.ensembleSize()) {
            return;
        }
        List<MemberEpoch> members = rows.stream().sorted((a, b) -> Integer.compare(a.member(), b.member())).map(JobHistory::memberEpoch).toList();
        EpochMetrics ensemble;
        try {
            ensemble = engine.ensemble(jobId, config, epoch, members.stream().map(MemberEpoch::metrics).toList());
        } catch (UncheckedIOException e) {
            // Only a member trained before members kept their logits lacks them: its job shows the members' rows alone.
            log.warn("Job {} epoch {} has no ensemble figures: {}", jobId, epoch, e.getMessage());
            return;
        }
        EpochReport report = EpochReport.of(members, ensemble);
        try {
            epochs.save(new EpochRecord(null, jobId, epoch, EpochRecord.ENSEMBLE, ensemble.loss(), ensemble.trainAccuracy(),
                    ensemble.validationAccuracy(), ensemble.testAccuracy(), report.learningRate(), report.trainingTime().toNanos() / 1e9,
                    report.samplesPerSecond()));
        } catch (DataIntegrityViolationException concurrent) {
            return; // the last two members finished together, and the other worker recorded it
        }
        log.info("Job {} epoch {}/{}: loss {} train {} test {} (ensemble of {})", jobId, epoch, config.epochs(),
                String.format("%.5f", ensemble.loss()), String.format("%.4f", ensemble.trainAccuracy()),
                String.format("%.4f", ensemble.testAccuracy()), config.ensembleSize());
    }

    /** Every epoch begun: the members' rows (null for a member that has not finished it yet) and the ensemble's once complete. */
    List<JobView.EpochView> view(String jobId, int ensembleSize) {
        List<JobView.EpochView> history = new ArrayList<>();
        List<EpochRecord> rows = epochs.findByJobIdOrderByEpochAscMemberAsc(jobId);
        for (int i = 0; i < rows.size(); ) {
            int epoch = rows.get(i).epoch();
            EpochRecord ensemble = null;
            EpochMetrics[] members = new EpochMetrics[ensembleSize];
            EpochRecord any = rows.get(i);
            for (; i < rows.size() && rows.get(i).epoch() == epoch; i++) {
                EpochRecord row = rows.get(i);
                if (row.member() == EpochRecord.ENSEMBLE) {
                    ensemble = row;
                } else if (row.member() < ensembleSize) {
                    members[row.member()] = metrics(row);
                }
            }
            EpochRecord summary = ensemble != null ? ensemble : any;
            history.add(new JobView.EpochView(epoch, summary.learningRate(), ensemble == null ? null : ensemble.trainingSeconds(),
                    ensemble == null ? null : ensemble.samplesPerSecond(), ensemble == null ? null : metrics(ensemble), Arrays.asList(members)));
        }
        return history;
    }

    private static EpochRecord row(String jobId, int member, MemberEpoch epoch, EpochMetrics m) {
        return new EpochRecord(null, jobId, epoch.epoch(), member, m.loss(), m.trainAccuracy(), m.validationAccuracy(), m.testAccuracy(),
                epoch.learningRate(), epoch.trainingSeconds(), epoch.samplesPerSecond());
    }

    private static MemberEpoch memberEpoch(EpochRecord row) {
        return new MemberEpoch(row.epoch(), metrics(row), row.learningRate(), row.trainingSeconds(),
                Math.round(row.samplesPerSecond() * row.trainingSeconds()));
    }

    private static EpochMetrics metrics(EpochRecord row) {
        return new EpochMetrics(row.loss(), row.trainAccuracy(), row.validationAccuracy(), row.testAccuracy());
    }
}
