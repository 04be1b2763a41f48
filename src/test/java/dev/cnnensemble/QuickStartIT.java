package dev.cnnensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cnnensemble.dataset.RealData;
import dev.cnnensemble.dataset.RequiresMnist;
import dev.cnnensemble.support.ServiceProcess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The README's quick start, run as written against the packaged jar: only the port and the data directory differ. If the
 * README's commands stop working, this fails.
 */
@RequiresMnist
class QuickStartIT {

    private static final Pattern QUICK_START = Pattern.compile("<!-- QuickStartIT runs this block[^\\n]*\\n```bash\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theReadmesQuickStartTrainsFollowsAndPredictsADrawnSeven() throws Exception {
        assumeTrue(jqInstalled(), "the quick start needs jq (bin/setup installs it)");
        Matcher block = QUICK_START.matcher(Files.readString(Path.of("README.md")));
        assertThat(block.find()).as("the README's quick-start block").isTrue();

        Path dataDir = RealData.freshDataDir();
        try (ServiceProcess service = ServiceProcess.start(dataDir, List.of("-Xmx1g"))) {
            String script = block.group(1).replace("localhost:8080", "localhost:" + service.port())
                    .replace("data/api-key", dataDir.resolve("api-key").toString());
            Path output = Files.createTempFile(Path.of("target"), "quick-start-", ".out");
            Process bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            assertThat(bash.waitFor(5, TimeUnit.MINUTES)).as("the quick start ends within 5 minutes").isTrue();
            String printed = Files.readString(output, StandardCharsets.UTF_8);

            assertThat(bash.exitValue()).as(printed).isZero();
            assertThat(printed).contains("progress 100%", "\"state\": \"SUCCEEDED\"", "\"label\":7");
            service.terminate(Duration.ofSeconds(60));
        }
    }

    private static boolean jqInstalled() {
        try {
            return new ProcessBuilder("jq", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
