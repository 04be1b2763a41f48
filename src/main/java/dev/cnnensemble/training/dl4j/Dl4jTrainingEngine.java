package dev.cnnensemble.training.dl4j;

import dev.cnnensemble.dataset.Dataset;
import dev.cnnensemble.dataset.DatasetStore;
import dev.cnnensemble.dataset.LabeledImages;
import dev.cnnensemble.model.Network;
import dev.cnnensemble.model.NetworkFactory;
import dev.cnnensemble.training.Augmenter;
import dev.cnnensemble.training.CheckpointInfo;
import dev.cnnensemble.training.EnsembleMath;
import dev.cnnensemble.training.EpochMetrics;
import dev.cnnensemble.training.MemberEpoch;
import dev.cnnensemble.training.MemberListener;
import dev.cnnensemble.training.MemberOutcome;
import dev.cnnensemble.training.MemberProgress;
import dev.cnnensemble.training.MemberRun;
import dev.cnnensemble.training.MemberStart;
import dev.cnnensemble.training.Seeds;
import dev.cnnensemble.training.TrainingConfig;
import dev.cnnensemble.training.TrainingEngine;
import dev.cnnensemble.training.Work;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Trains ensemble members the tutorial's way with DL4J: every member sees the same (optionally
 * augmented) data, each with its own initialisation and data order; after every epoch a member is
 * evaluated and its logits are kept, so that the ensemble's figures (averaged logits) can be computed
 * whenever every member has reached that epoch, whichever workers trained them and in what order.
 *
 * <p>Determinism: initialisation, shuffling and dropout draw from seeds derived from
 * (run seed, member, epoch or step), so a member resumed from any checkpoint, or trained beside
 * others, takes the same path as one trained alone that never stopped.
 */
@Component
public class Dl4jTrainingEngine implements TrainingEngine {

    private static final Logger log = LoggerFactory.getLogger(Dl4jTrainingEngine.class);
    private static final int EVAL_BATCH = 1000;
    /**
     * Training images whose batch-norm statistics replace the running averages before every evaluation
     * and checkpoint: 2,000 images give each convolution channel over a million values, in about a second.
     */
    private static final int PRECISE_BN_IMAGES = 2_000;
    private static final long AUGMENT_STREAM = -1;
    /** The OpenMP thread count this thread was given; OpenMP keeps it per thread. */
    private static final ThreadLocal<Integer> THREADS_SET = new ThreadLocal<>();

    private final DatasetStore datasets;
    private final CheckpointStores stores;
    /** Members of one run that train side by side share its (possibly augmented) images. */
    private final Cache<Splits.Key, Splits> splits = Caffeine.newBuilder().weakValues().build();

    public Dl4jTrainingEngine(DatasetStore datasets, CheckpointStores stores) {
        this.datasets = datasets;
        this.stores = stores;
    }

    @Override
    public MemberOutcome train(MemberRun run, MemberListener listener) {
        try {
            return new Session(run, listener).execute();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public EpochMetrics ensemble(String runId, TrainingConfig config, int epoch, List<EpochMetrics> members) {
        Evaluation evaluation = Evaluation.of(datasets.load(config.dataset()), config);
        CheckpointStore store = stores.forRun(runId);
        List<List<float[][]>> logits = new ArrayList<>();
        for (int m = 0; m < config.ensembleSize(); m++) {
            logits.add(store.logits(m, epoch));
        }
        double loss = members.stream().mapToDouble(EpochMetrics::loss).average().orElse(Double.NaN);
        return evaluation.metrics(loss, i -> EnsembleMath.averageLogits(logits.stream().map(l -> l.get(i)).toList()));
    }

    @Override
    public List<CheckpointInfo> checkpoints(String runId, int ensembleSize) {
        return stores.forRun(runId).all(ensembleSize);
    }

    @Override
    public void delete(String runId) {
        try {
            stores.forRun(runId).deleteAll();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The evaluation sets of a run: original images only, never augmented. */
    record Evaluation(LabeledImages trainEval, LabeledImages validation, LabeledImages test) {

        static Evaluation of(Dataset dataset, TrainingConfig config) {
            LabeledImages train = dataset.train().first(config.trainLimit());
            int held = held(train, config);
            LabeledImages fit = train.range(0, train.size() - held);
            return new Evaluation(fit.first(config.trainEvalSamples()),
                    held > 0 ? train.range(train.size() - held, train.size()) : null,
                    dataset.test().first(config.testLimit()));
        }

        static int held(LabeledImages train, TrainingConfig config) {
            return (int) Math.round(train.size() * config.validationSplit());
        }

        int images() {
            return trainEval.size() + (validation == null ? 0 : validation.size()) + test.size();
        }

        /** The logits of each split, in the order {@link #metrics} reads them. */
        List<float[][]> logits(Network network) {
            return Stream.of(trainEval, validation, test).map(split -> split == null ? new float[0][] : Dl4jTrainingEngine.logits(network, split))
                    .toList();
        }

        /** Original training images, in batches, on which precise batch norm measures its statistics. */
        List<INDArray> batchNormSample(int batchSize) {
            LabeledImages sample = trainEval.first(PRECISE_BN_IMAGES);
            List<INDArray> batches = new ArrayList<>();
            for (int from = 0; from < sample.size(); from += batchSize) {
                batches.add(Batches.features(sample, null, from, Math.min(batchSize, sample.size() - from)));
            }
            return batches;
        }

        /** Metrics from the logits of split i (0 train sample, 1 validation, 2 test). */
        EpochMetrics metrics(double loss, IntFunction<float[][]> logits) {
            return new EpochMetrics(loss, accuracy(logits.apply(0), trainEval),
                    validation == null ? null : accuracy(logits.apply(1), validation),
                    accuracy(logits.apply(2), test));
        }
    }

    /** The images a member fits, prepared once and shared by the members of a run. */
    record Splits(LabeledImages fit, Evaluation evaluation) {

        record Key(String dataset, Integer trainLimit, Integer testLimit, double validationSplit, int trainEvalSamples,
                   TrainingConfig.Augmentation augmentation, long seed) {

            static Key of(TrainingConfig c) {
                return new Key(c.dataset(), c.trainLimit(), c.testLimit(), c.validationSplit(), c.trainEvalSamples(), c.augmentation(), c.seed());
            }
        }

        static Splits of(Dataset dataset, TrainingConfig config) {
            LabeledImages train = dataset.train().first(config.trainLimit());
            LabeledImages fit = train.range(0, train.size() - Evaluation.held(train, config));
            if (config.augmentation() != null) {
                long started = System.nanoTime();
                int originals = fit.size();
                fit = Augmenter.augment(fit, config.augmentation(), Seeds.derive(config.seed(), AUGMENT_STREAM));
                log.info("Augmented {} training images to {} in {} ms", originals, fit.size(), (System.nanoTime() - started) / 1_000_000);
            }
            return new Splits(fit, Evaluation.of(dataset, config));
        }
    }

    private final class Session {
        private final MemberRun run;
        private final TrainingConfig config;
        private final MemberListener listener;
        private final CheckpointStore store;
        private final Splits data;
        private final Work work;
        private final int member;
        private final long seed;
        private final List<MemberEpoch> history = new ArrayList<>();
        private Network network;
        /** The images precise batch norm measures, built at its first use: the same every time, and only for batch norm. */
        private @Nullable List<INDArray> batchNormSample;
        private int completedEpochs;
        private int resumeStep;
        private double partialLoss;
        private long completedSteps;

        Session(MemberRun run, MemberListener listener) {
            this.run = run;
            this.config = run.config();
            this.listener = listener;
            this.member = run.member();
            this.seed = Seeds.derive(config.seed(), member);
            this.store = stores.forRun(run.runId());
            this.data = splits.get(Splits.Key.of(config), key -> Splits.of(datasets.load(config.dataset()), config));
            this.work = Work.of(data.fit().size(), data.evaluation().images(), config.batchSize(), config.epochs());
        }

        MemberOutcome execute() throws IOException {
            restoreOrCreate();
            try {
                completedSteps = (long) completedEpochs * work.stepsPerEpoch() + resumeStep;
                listener.onStart(new MemberStart(completedEpochs + 1, completedSteps, work, List.copyOf(history)));
                for (int epoch = completedEpochs + 1; epoch <= config.epochs(); epoch++) {
                    if (!trainEpoch(epoch)) {
                        return outcome(false);
                    }
                }
                return outcome(true);
            } finally {
                network.close();
            }
        }

        private void restoreOrCreate() {
            var restored = store.latest(member, config.architecture());
            if (restored.isPresent()) {
                CheckpointInfo info = restored.get().info();
                network = restored.get().network();
                completedEpochs = info.epoch();
                resumeStep = info.step();
                partialLoss = info.partialLoss();
                store.history(member).stream().filter(e -> e.epoch() <= info.epoch()).forEach(history::add);
                log.info("Run {} member {} resumes after epoch {} step {}", run.runId(), member, info.epoch(), info.step());
            } else {
                var schedule = LearningRates.schedule(config.learningRate(), config.lrDecay(), work.stepsPerEpoch());
                network = NetworkFactory.create(config.architecture(), data.fit().classes(), seed, new Adam(schedule), config.batchNormMomentum());
            }
        }

        /** Trains one epoch; false when it stopped on request, after saving a mid-epoch checkpoint. */
        private boolean trainEpoch(int epoch) throws IOException {
            LabeledImages fit = data.fit();
            int[] order = Seeds.permutation(fit.size(), Seeds.derive(seed, epoch));
            double lossSum = partialLoss;
            long stepNanos = 0;
            long samples = 0;
            for (int step = resumeStep; step < work.stepsPerEpoch(); step++) {
                if (run.stopRequested().getAsBoolean()) {
                    // At the step it resumed from, the checkpoint on disk already is this state.
                    if (step > resumeStep) {
                        recalibrateBatchNorm();
                        checkpoint(epoch - 1, step, lossSum, null);
                    }
                    return false;
                }
                useThreads(run.threads().getAsInt());
                int from = step * config.batchSize();
                int count = Math.min(config.batchSize(), fit.size() - from);
                // Dropout draws from ND4J's per-thread generator; a seed per step makes any step reproducible.
                Nd4j.getRandom().setSeed(Seeds.derive(seed, network.iteration()));
                long started = System.nanoTime();
                INDArray features = Batches.features(fit, order, from, count);
                INDArray labels = Batches.oneHot(fit, order, from, count);
                network.fit(features, labels);
                lossSum += network.lastLoss();
                stepNanos += System.nanoTime() - started;
                samples += count;
                completedSteps++;
                listener.onStep(new MemberProgress(epoch, step + 1, completedSteps, work.done(epoch - 1, step + 1), samples / (stepNanos / 1e9)));
            }
            network.markEpochDone();
            recalibrateBatchNorm();
            List<float[][]> logits = data.evaluation().logits(network);
            EpochMetrics metrics = data.evaluation().metrics(lossSum / work.stepsPerEpoch(), logits::get);
            double lr = LearningRates.rateAt(config.learningRate(), config.lrDecay(), work.stepsPerEpoch(), (long) epoch * work.stepsPerEpoch() - 1);
            MemberEpoch done = new MemberEpoch(epoch, metrics, lr, stepNanos / 1e9, samples);
            history.add(done);
            // Logits and history first: a checkpoint of epoch n vouches for everything epoch n left behind.
            store.saveLogits(member, epoch, logits);
            store.saveHistory(member, history);
            checkpoint(epoch, 0, 0, metrics);
            completedEpochs = epoch;
            resumeStep = 0;
            partialLoss = 0;
            listener.onEpoch(done);
            log.info("Run {} member {} epoch {}/{}: loss {} train {} test {}", run.runId(), member, epoch, config.epochs(),
                    String.format("%.5f", metrics.loss()), String.format("%.4f", metrics.trainAccuracy()), String.format("%.4f", metrics.testAccuracy()));
            return true;
        }

        /**
         * Precise batch norm: with the running averages of a few hundred steps at Keras' momentum of 0.99, a
         * cnn-bn network predicts one class for every image; with exact statistics it serves what it evaluates.
         */
        private void recalibrateBatchNorm() {
            network.recalibrateBatchNorm(() -> {
                if (batchNormSample == null) {
                    batchNormSample = data.evaluation().batchNormSample(config.batchSize());
                }
                return batchNormSample;
            });
        }

        private void checkpoint(int epoch, int step, double loss, EpochMetrics metrics) throws IOException {
            double lr = LearningRates.rateAt(config.learningRate(), config.lrDecay(), work.stepsPerEpoch(), network.iteration());
            store.save(network, new CheckpointInfo(member, epoch, step, null, null, 0,
                    network.iteration(), lr, seed, loss, metrics, Instant.now()));
        }

        private MemberOutcome outcome(boolean completed) {
            return new MemberOutcome(completed, List.copyOf(history), network.summary());
        }
    }

    /**
     * Gives this thread's next operations {@code threads} CPU threads; 0 leaves the backend's choice.
     * OpenMP (oneDNN's kernels) keeps its count per thread; libnd4j's own thread pool reads one limit
     * for the whole process, which every busy worker sets to the same share.
     */
    private static void useThreads(int threads) {
        if (threads <= 0) {
            return;
        }
        if (!Integer.valueOf(threads).equals(THREADS_SET.get())) {
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
            THREADS_SET.set(threads);
        }
        Environment environment = Nd4j.getEnvironment();
        if (environment.maxThreads() != threads) {
            environment.setMaxThreads(threads);
            environment.setMaxMasterThreads(threads);
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
}
