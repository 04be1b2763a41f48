package dev.cnnensemble.jobs;

import dev.cnnensemble.training.EpochReport;
import dev.cnnensemble.training.ProgressListener;
import dev.cnnensemble.training.TrainingConfig;
import dev.cnnensemble.training.TrainingProgress;
import dev.cnnensemble.training.TrainingStart;

/** Turns one job's training events into live progress, database rows, metrics and SSE events. */
final class JobProgressRecorder implements ProgressListener {

    private final String jobId;
    private final TrainingConfig config;
    private final JobService service;
    private final long persistEveryNanos;
    private long lastPersisted;

    JobProgressRecorder(String jobId, TrainingConfig config, JobService service, long persistEveryNanos) {
        this.jobId = jobId;
        this.config = config;
        this.service = service;
        this.persistEveryNanos = persistEveryNanos;
        this.lastPersisted = System.nanoTime();
    }

    @Override
    public void onStart(TrainingStart start) {
        service.started(jobId, start);
    }

    @Override
    public void onStep(TrainingProgress p) {
        long now = System.nanoTime();
        boolean persist = now - lastPersisted >= persistEveryNanos || p.completedSteps() == p.totalSteps();
        if (persist) {
            lastPersisted = now;
        }
        service.progressed(jobId, new JobView.Progress(p.percent(), p.member(), p.ensembleSize(), p.epoch(), p.epochs(), p.step(),
                p.stepsPerEpoch(), p.samplesPerSecond(), p.eta() == null ? null : p.eta().toSeconds()), persist);
    }

    @Override
    public void onEpoch(EpochReport report) {
        service.epochCompleted(jobId, report, config.architecture().id());
    }
}
