package dev.cnnensemble.training.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnensemble.dataset.RealData;
import dev.cnnensemble.dataset.RequiresMnist;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

@RequiresMnist
class TrainCommandTest {

    @Test
    void trainsFromTheCommandLineAndLeavesTheJobDatabaseAlone() {
        Path dataDir = RealData.freshDataDir();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            TrainCommand.main(new String[]{"--cnn.data-dir=" + dataDir, "--train.architecture=resnet", "--train.epochs=2",
                    "--train.train-limit=500", "--train.test-limit=100", "--train.run-id=cli"});
        } finally {
            System.setOut(stdout);
        }
        String out = captured.toString(StandardCharsets.UTF_8);

        assertThat(out).contains("Training resnet on mnist: 1 member(s), 2 epochs, batch 100", "run cli")
                .containsPattern("(?m)^\\s+1\\s+\\d\\.\\d{8}\\s+\\d\\.\\d{4}\\s+\\d\\.\\d{4}\\s+\\d+")
                .containsPattern("(?m)^\\s+2\\s+")
                .containsPattern("median training throughput: \\d+ img/s over 2 epoch\\(s\\); final test accuracy 0\\.\\d{4}; peak RSS \\d+ kB");
        assertThat(dataDir.resolve("jobs/cli/member-0/epoch-2.zip")).exists();
        assertThat(dataDir.resolve("db")).as("the command uses an in-memory database").doesNotExist();
    }
}
