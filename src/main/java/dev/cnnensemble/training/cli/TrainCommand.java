package dev.cnnensemble.training.cli;

import dev.cnnensemble.CnnEnsembleApplication;
import dev.cnnensemble.model.Architecture;
import dev.cnnensemble.training.EpochMetrics;
import dev.cnnensemble.training.EpochReport;
import dev.cnnensemble.training.MemberEpoch;
import dev.cnnensemble.training.MemberListener;
import dev.cnnensemble.training.MemberProgress;
import dev.cnnensemble.training.MemberStart;
import dev.cnnensemble.training.MembersInTurn;
import dev.cnnensemble.training.Recipe;
import dev.cnnensemble.training.TrainingConfig;
import dev.cnnensemble.training.TrainingEngine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Trains from the command line with the service's own engine and checkpoints, printing a table per
 * epoch; {@code bench/train} wraps it. Options are Spring properties, all listed in the README:
 * {@code --train.recipe=best --train.architecture=cnn --train.dataset=mnist --train.epochs=3
 * --train.ensemble-size=1 --train.batch-size=100 --train.train-limit=N --train.test-limit=N
 * --train.seed=42 --train.run-id=ID}. A run id that has checkpoints resumes.
 */
public final class TrainCommand {

    private TrainCommand() {
    }

    public static void main(String[] args) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CnnEnsembleApplication.class)
                .web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "logging.level.root=WARN",
                        "logging.level.dev.cnnensemble.training.dl4j.Dl4jTrainingEngine=INFO")
                // Arguments outrank application.yml. The command loads only the dataset it trains on, and
                // leaves the job queue and its database alone, even while the service uses the same volume.
                .run(withDefaults(args, "--cnn.datasets.preload=", "--cnn.jobs.enabled=false",
                        "--spring.datasource.url=jdbc:h2:mem:train-command"))) {
            Environment env = context.getEnvironment();
            TrainingConfig config = config(env);
            String runId = env.getProperty("train.run-id", "cli-" + config.architecture() + "-" + System.currentTimeMillis());
            PrintStream out = System.out;
            out.printf("Training %s on %s: %d member(s), %d epochs, batch %d, augmentation %s, decay %s, run %s%n",
                    config.architecture(), config.dataset(), config.ensembleSize(), config.epochs(), config.batchSize(),
                    config.augmentation(), config.lrDecay(), runId);
            TablePrinter table = new TablePrinter(out);
            MembersInTurn.Outcome outcome = MembersInTurn.train(context.getBean(TrainingEngine.class), runId, config, table);
            out.printf("%5s %11s %9s %9s %9s %10s %9s %s%n", "epoch", "loss", "train", "test", "img/s", "lr", "seconds", "members' test accuracy");
            outcome.history().forEach(table::print);
            double[] rates = outcome.history().stream().mapToDouble(EpochReport::samplesPerSecond).sorted().toArray();
            out.printf("median training throughput: %.0f img/s over %d epoch(s); final test accuracy %.4f; peak RSS %s%n",
                    rates.length == 0 ? 0 : rates[rates.length / 2], rates.length,
                    outcome.last() == null ? Double.NaN : outcome.last().ensemble().testAccuracy(), procStatus("VmHWM:"));
        }
    }

    private static String[] withDefaults(String[] args, String... options) {
        List<String> all = new ArrayList<>(List.of(args));
        for (String option : options) {
            String key = option.substring(0, option.indexOf('=') + 1);
            if (all.stream().noneMatch(a -> a.startsWith(key))) {
                all.add(option);
            }
        }
        return all.toArray(String[]::new);
    }

    static TrainingConfig config(Environment env) {
        TrainingConfig base = Recipe.fromId(env.getProperty("train.recipe", Recipe.BASELINE.id())).config();
        TrainingConfig.Builder builder = base.toBuilder();
        String architecture = env.getProperty("train.architecture");
        if (architecture != null) {
            builder.architecture(Architecture.fromId(architecture));
        }
        return builder
                .dataset(env.getProperty("train.dataset", base.dataset()))
                .epochs(env.getProperty("train.epochs", Integer.class, base.epochs()))
                .ensembleSize(env.getProperty("train.ensemble-size", Integer.class, base.ensembleSize()))
                .batchSize(env.getProperty("train.batch-size", Integer.class, base.batchSize()))
                .trainLimit(env.getProperty("train.train-limit", Integer.class))
                .testLimit(env.getProperty("train.test-limit", Integer.class))
                .seed(env.getProperty("train.seed", Long.class, base.seed()))
                .build();
    }

    /** A memory figure of this process, heap and off-heap together: VmRSS now, VmHWM at its peak. */
    static String procStatus(String field) {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith(field)).map(l -> l.substring(field.length()).trim()).findFirst().orElse("n/a");
        } catch (IOException e) {
            return "n/a";
        }
    }

    /** Members train one after another: their epochs as they end, then the ensemble's table. */
    private static final class TablePrinter implements MemberListener {
        private final PrintStream out;
        private int member = -1;
        private int reportEvery = 1;

        TablePrinter(PrintStream out) {
            this.out = out;
        }

        @Override
        public void onStart(MemberStart start) {
            member++;
            reportEvery = Math.max(1, start.work().stepsPerEpoch() / 5);
            out.printf("member %d from epoch %d%n", member, start.firstEpoch());
        }

        @Override
        public void onStep(MemberProgress p) {
            if (p.step() % reportEvery == 0) {
                System.err.printf("  member %d epoch %d step %d  %.0f img/s%n", member, p.epoch(), p.step(), p.samplesPerSecond());
            }
        }

        @Override
        public void onEpoch(MemberEpoch e) {
            EpochMetrics m = e.metrics();
            out.printf("member %d epoch %d: loss %.8f train %.4f test %.4f %.0f img/s %.1f s RSS %s%n", member, e.epoch(), m.loss(),
                    m.trainAccuracy(), m.testAccuracy(), e.samplesPerSecond(), e.trainingSeconds(), procStatus("VmRSS:"));
        }

        void print(EpochReport r) {
            EpochMetrics e = r.ensemble();
            out.printf("%5d %11.8f %9.4f %9.4f %9.0f %10.6f %9.1f %s%n", r.epoch(), e.loss(), e.trainAccuracy(), e.testAccuracy(),
                    r.samplesPerSecond(), r.learningRate(), r.trainingTime().toMillis() / 1000.0,
                    Arrays.toString(r.members().stream().mapToDouble(EpochMetrics::testAccuracy).toArray()));
        }
    }
}
