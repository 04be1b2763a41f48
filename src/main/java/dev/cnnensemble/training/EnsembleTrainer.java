package dev.cnnensemble.training;

import dev.cnnensemble.dataset.Dataset;
import dev.cnnensemble.dataset.DatasetStore;
import dev.cnnensemble.dataset.LabeledImages;
import dev.cnnensemble.model.Network;
import dev.cnnensemble.model.NetworkFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Trains an ensemble the tutorial's way: every member sees the same (optionally augmented) data,
 * each with its own initialisation and data order, and after every epoch each member and the
 * ensemble (averaged logits) are evaluated. Members advance epoch by epoch in turn, so an ensemble
 * report exists for every epoch and an interrupted run resumes with at most one member behind.
 *
 * <p>Determinism: initialisation, shuffling and dropout draw from seeds derived from
 * (run seed, member, epoch or step), so a run resumed from any checkpoint takes the same path as one
 * that never stopped.
 */
@Component
public class EnsembleTrainer implements TrainingEngine {

    private static final Logger log = LoggerFactory.getLogger(EnsembleTrainer.class);
    private static final int EVAL_BATCH = 1000;
    private static final long AUGMENT_STREAM = -1;

    private final DatasetStore datasets;
    private final CheckpointStores stores;

    public EnsembleTrainer(DatasetStore datasets, CheckpointStores stores) {
        this.datasets = datasets;
        this.stores = stores;
    }

    @Override
    public TrainingOutcome train(TrainingRun run, ProgressListener listener) {
        try {
            return new Session(run, listener).execute();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<CheckpointInfo> checkpoints(String runId, int ensembleSize) {
        return store(runId).all(ensembleSize);
    }

    @Override
    public List<EpochReport> history(String runId) {
        return store(runId).history();
    }

    @Override
    public void delete(String runId) {
        try {
            store(runId).deleteAll();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int devices() {
        return Math.max(1, Nd4j.getAffinityManager().getNumberOfDevices());
    }

    @Override
    public void bindCurrentThread(int device) {
        Nd4j.getAffinityManager().unsafeSetDevice(device);
    }

    CheckpointStore store(String runId) {
        return stores.forRun(runId);
    }

    /** The data a run trains and evaluates on, prepared once per session. */
    record Splits(LabeledImages fit, LabeledImages trainEval, LabeledImages validation, LabeledImages test) {

        static Splits of(Dataset dataset, TrainingConfig config) {
            LabeledImages train = dataset.train().first(config.trainLimit());
            int held = (int) Math.round(train.size() * config.validationSplit());
            LabeledImages fit = train.range(0, train.size() - held);
            LabeledImages validation = held > 0 ? train.range(train.size() - held, train.size()) : null;
            LabeledImages trainEval = fit.first(config.trainEvalSamples());
            if (config.augmentation() != null) {
                long started = System.nanoTime();
                int originals = fit.size();
                fit = Augmenter.augment(fit, config.augmentation(), Seeds.derive(config.seed(), AUGMENT_STREAM));
                log.info("Augmented {} training images to {} in {} ms", originals, fit.size(), (System.nanoTime() - started) / 1_000_000);
            }
            return new Splits(fit, trainEval, validation, dataset.test().first(config.testLimit()));
        }
    }

    /** A member's network and where it stands. */
    private static final class Member {
        final int index;
        final long seed;
        Network network;
        int completedEpochs;
        int resumeStep;
        double partialLoss;
        EpochMetrics lastMetrics;
        Logits logits;

        Member(int index, long seed) {
            this.index = index;
            this.seed = seed;
        }
    }

    /** A member's logits on the evaluation sets after its latest epoch. */
    private record Logits(int epoch, float[][] trainEval, float[][] validation, float[][] test) {
    }

    private final class Session {
        private final TrainingRun run;
        private final TrainingConfig config;
        private final ProgressListener listener;
        private final CheckpointStore store;
        private final Splits splits;
        private final int stepsPerEpoch;
        private final List<Member> members = new ArrayList<>();
        private final List<EpochReport> history;
        private ThroughputMeter meter;
        private long completedSteps;
        private long stepNanos;
        private long stepSamples;

        Session(TrainingRun run, ProgressListener listener) {
            this.run = run;
            this.config = run.config();
            this.listener = listener;
            this.store = store(run.runId());
            this.splits = Splits.of(datasets.load(config.dataset()), config);
            this.stepsPerEpoch = (splits.fit().size() + config.batchSize() - 1) / config.batchSize();
            for (int m = 0; m < config.ensembleSize(); m++) {
                members.add(new Member(m, Seeds.derive(config.seed(), m)));
            }
            List<EpochReport> saved = store.history();
            this.history = new ArrayList<>(saved);
        }

        TrainingOutcome execute() throws IOException {
            for (Member member : members) {
                restoreOrCreate(member);
            }
            int firstEpoch = members.stream().mapToInt(m -> m.completedEpochs).min().orElse(0) + 1;
            history.removeIf(r -> r.epoch() >= firstEpoch);
            completedSteps = members.stream().mapToLong(m -> (long) m.completedEpochs * stepsPerEpoch + m.resumeStep).sum();
            meter = new ThroughputMeter(System.nanoTime());
            listener.onStart(new TrainingStart(firstEpoch, completedSteps, totalSteps()));

            for (int epoch = firstEpoch; epoch <= config.epochs(); epoch++) {
                stepNanos = 0;
                stepSamples = 0;
                for (Member member : members) {
                    if (member.completedEpochs >= epoch) {
                        continue;
                    }
                    if (!trainEpoch(member, epoch)) {
                        return outcome(false);
                    }
                }
                EpochReport report = ensembleReport(epoch, Duration.ofNanos(stepNanos), stepSamples);
                history.add(report);
                store.saveHistory(history);
                listener.onEpoch(report);
                log.info("Run {} epoch {}/{}: loss {} train {} test {} (ensemble of {})", run.runId(), epoch, config.epochs(),
                        String.format("%.5f", report.ensemble().loss()), String.format("%.4f", report.ensemble().trainAccuracy()),
                        String.format("%.4f", report.ensemble().testAccuracy()), members.size());
            }
            return outcome(true);
        }

        private void restoreOrCreate(Member member) {
            var restored = store.latest(member.index, config.architecture());
            if (restored.isPresent()) {
                CheckpointInfo info = restored.get().info();
                member.network = restored.get().network();
                member.completedEpochs = info.epoch();
                member.resumeStep = info.step();
                member.partialLoss = info.partialLoss();
                member.lastMetrics = info.metrics();
                log.info("Run {} member {} resumes after epoch {} step {}", run.runId(), member.index, info.epoch(), info.step());
            } else {
                var schedule = LearningRates.schedule(config.learningRate(), config.lrDecay(), stepsPerEpoch);
                member.network = NetworkFactory.create(config.architecture(), member.seed, new Adam(schedule), config.batchNormMomentum());
            }
        }

        /** Trains one epoch; false when it stopped on request, after saving a mid-epoch checkpoint. */
        private boolean trainEpoch(Member member, int epoch) throws IOException {
            int[] order = permutation(splits.fit().size(), Seeds.derive(member.seed, epoch));
            double lossSum = member.partialLoss;
            for (int step = member.resumeStep; step < stepsPerEpoch; step++) {
                if (run.stopRequested().getAsBoolean()) {
                    // At the step it resumed from, the checkpoint on disk already is this state.
                    if (step > member.resumeStep) {
                        checkpoint(member, epoch - 1, step, lossSum, null);
                    }
                    return false;
                }
                int from = step * config.batchSize();
                int count = Math.min(config.batchSize(), splits.fit().size() - from);
                // Dropout draws from ND4J's per-thread generator; a seed per step makes any step reproducible.
                Nd4j.getRandom().setSeed(Seeds.derive(member.seed, member.network.iteration()));
                long started = System.nanoTime();
                INDArray features = Batches.features(splits.fit(), order, from, count);
                INDArray labels = Batches.oneHot(splits.fit(), order, from, count);
                member.network.fit(features, labels);
                lossSum += member.network.lastLoss();
                completedSteps++;
                long now = System.nanoTime();
                stepNanos += now - started;
                stepSamples += count;
                meter.record(now, count);
                listener.onStep(new TrainingProgress(member.index, members.size(), epoch, config.epochs(), step + 1, stepsPerEpoch,
                        completedSteps, totalSteps(), meter.samplesPerSecond(), meter.eta(now, totalSteps() - completedSteps)));
            }
            member.network.markEpochDone();
            member.completedEpochs = epoch;
            member.resumeStep = 0;
            member.partialLoss = 0;
            member.logits = evaluate(member.network, epoch);
            member.lastMetrics = new EpochMetrics(lossSum / stepsPerEpoch,
                    accuracy(member.logits.trainEval(), splits.trainEval()),
                    splits.validation() == null ? null : accuracy(member.logits.validation(), splits.validation()),
                    accuracy(member.logits.test(), splits.test()));
            checkpoint(member, epoch, 0, 0, member.lastMetrics);
            return true;
        }

        private void checkpoint(Member member, int epoch, int step, double partialLoss, EpochMetrics metrics) throws IOException {
            double lr = LearningRates.rateAt(config.learningRate(), config.lrDecay(), stepsPerEpoch, member.network.iteration());
            store.save(member.network, new CheckpointInfo(member.index, epoch, step, null, null, 0,
                    member.network.iteration(), lr, member.seed, partialLoss, metrics, Instant.now()));
        }

        /** {@code trainingTime} and {@code trainedSamples} cover the optimiser steps only, not evaluation. */
        private EpochReport ensembleReport(int epoch, Duration trainingTime, long trainedSamples) {
            List<Logits> logits = new ArrayList<>();
            List<EpochMetrics> memberMetrics = new ArrayList<>();
            for (Member member : members) {
                if (member.logits == null || member.logits.epoch() != epoch) {
                    member.logits = evaluate(member.network, epoch);
                }
                logits.add(member.logits);
                memberMetrics.add(member.lastMetrics);
            }
            double loss = memberMetrics.stream().mapToDouble(EpochMetrics::loss).average().orElse(Double.NaN);
            EpochMetrics ensemble = new EpochMetrics(loss,
                    accuracy(EnsembleMath.averageLogits(logits.stream().map(Logits::trainEval).toList()), splits.trainEval()),
                    splits.validation() == null ? null
                            : accuracy(EnsembleMath.averageLogits(logits.stream().map(Logits::validation).toList()), splits.validation()),
                    accuracy(EnsembleMath.averageLogits(logits.stream().map(Logits::test).toList()), splits.test()));
            double lr = LearningRates.rateAt(config.learningRate(), config.lrDecay(), stepsPerEpoch, (long) epoch * stepsPerEpoch - 1);
            double seconds = trainingTime.toNanos() / 1e9;
            return new EpochReport(epoch, memberMetrics, ensemble, lr, trainingTime, seconds == 0 ? 0 : trainedSamples / seconds);
        }

        private Logits evaluate(Network network, int epoch) {
            return new Logits(epoch, logits(network, splits.trainEval()),
                    splits.validation() == null ? null : logits(network, splits.validation()),
                    logits(network, splits.test()));
        }

        private long totalSteps() {
            return (long) members.size() * config.epochs() * stepsPerEpoch;
        }

        private TrainingOutcome outcome(boolean completed) {
            int epochs = members.stream().mapToInt(m -> m.completedEpochs).min().orElse(0);
            return new TrainingOutcome(completed, epochs, List.copyOf(history), store.all(members.size()), members.get(0).network.summary());
        }
    }

    /** Inference-mode logits of a whole split, in chunks that bound off-heap memory. */
    static float[][] logits(Network network, LabeledImages images) {
        float[][] out = new float[images.size()][];
        for (int from = 0; from < images.size(); from += EVAL_BATCH) {
            int count = Math.min(EVAL_BATCH, images.size() - from);
            float[][] chunk = network.logits(Batches.features(images, null, from, count)).toFloatMatrix();
            System.arraycopy(chunk, 0, out, from, count);
        }
        return out;
    }

    private static double accuracy(float[][] logits, LabeledImages images) {
        return EnsembleMath.accuracy(logits, images.labels(), 0);
    }

    /**
     * Fisher-Yates with a seeded stream: the epoch's data order, reproducible from the seed alone.
     * Public for the benchmarks, which feed every framework the same order.
     */
    public static int[] permutation(int size, long seed) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
