package dev.cnnensemble.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnensemble.dataset.RealData;
import dev.cnnensemble.dataset.RequiresMnist;
import dev.cnnensemble.support.ServiceProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The image's runtime command, run here since no Docker engine is: the packaged jar is extracted into
 * Spring Boot's layers with the Dockerfile's own command, and started from the layers with the
 * Dockerfile's ENTRYPOINT, WORKDIR and ENV, read from the Dockerfile itself. Only the volume's path
 * and the port differ.
 */
@RequiresMnist
class DockerEntrypointIT {

    private static final Path DOCKERFILE = Path.of("Dockerfile");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void theImagesCommandStartsTheServiceReadyWithItsContainerFlags() throws Exception {
        String dockerfile = Files.readString(DOCKERFILE).replaceAll("\\\\\\n\\s*", " ");
        List<String> entrypoint = List.of(JSON.readValue(instruction(dockerfile, "ENTRYPOINT"), String[].class));
        Map<String, String> env = env(instruction(dockerfile, "ENV"));
        assertThat(instruction(dockerfile, "WORKDIR")).isEqualTo("/app");
        assertThat(env).containsKeys("CNN_DATA_DIR", "JDK_JAVA_OPTIONS");
        assertThat(env.get("JDK_JAVA_OPTIONS")).contains("MaxRAMPercentage", "javacpp.maxbytes", "javacpp.maxphysicalbytes");

        Path root = Files.createTempDirectory(Path.of("target"), "image-");
        Path app = layers(root, extractCommand(dockerfile), copiedLayers(dockerfile));
        Path dataDir = RealData.freshDataDir();
        int port = ServiceProcess.freePort();

        List<String> command = new ArrayList<>(entrypoint);
        command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(app.toFile());
        builder.environment().putAll(env);
        builder.environment().put("CNN_DATA_DIR", dataDir.toString());
        builder.environment().put("SERVER_PORT", String.valueOf(port));
        builder.environment().put("CNN_DATASETS_MIRRORS_ENABLED", "false");
        try (ServiceProcess service = ServiceProcess.launch(builder, port, dataDir, root.resolve("service.log"))) {
            JsonNode heap = service.api().get("/actuator/metrics/jvm.memory.max?tag=area:heap");
            double heapBytes = heap.at("/measurements/0/value").asDouble();
            long physical = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                    .getTotalMemorySize();
            assertThat(heapBytes / physical).as("MaxRAMPercentage=25 sized the heap").isBetween(0.2, 0.3);
            assertThat(service.api().get("/architectures/cnn").get("totalParameters").asLong()).isEqualTo(619_786);
            assertThat(Files.readString(service.log())).contains("Picked up JDK_JAVA_OPTIONS: " + env.get("JDK_JAVA_OPTIONS"));
            service.terminate(Duration.ofSeconds(60));
        }
    }

    /** The value of the last instruction of that name, as written. */
    private static String instruction(String dockerfile, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\s+(.+)$").matcher(dockerfile);
        String value = null;
        while (m.find()) {
            value = m.group(1).trim();
        }
        assertThat(value).as("%s in the Dockerfile", name).isNotNull();
        return value;
    }

    /** ENV's KEY=value pairs; values may be double-quoted. */
    private static Map<String, String> env(String instruction) {
        Map<String, String> env = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)").matcher(instruction);
        while (m.find()) {
            String value = m.group(2);
            env.put(m.group(1), value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
        }
        return env;
    }

    /** The build stage's {@code java -Djarmode=tools ... extract ...} command, pointed at the jar built here. */
    private static List<String> extractCommand(String dockerfile) {
        Matcher m = Pattern.compile("java (-Djarmode=tools -jar \\S+ extract [^\\n&]*?--destination \\S+)").matcher(dockerfile);
        assertThat(m.find()).as("the Dockerfile extracts the jar's layers").isTrue();
        List<String> args = new ArrayList<>(List.of(m.group(1).split(" ")));
        args.set(args.indexOf("-jar") + 1, ServiceProcess.JAR.toString());
        args.set(args.size() - 1, "extracted");
        args.add(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return args;
    }

    /** The layers the runtime stage copies, in the order it copies them. */
    private static List<String> copiedLayers(String dockerfile) {
        Matcher m = Pattern.compile("(?m)^COPY --from=build /build/extracted/([\\w-]+)/ \\./$").matcher(dockerfile);
        List<String> layers = new ArrayList<>();
        while (m.find()) {
            layers.add(m.group(1));
        }
        assertThat(layers).contains("dependencies", "application");
        return layers;
    }

    /** Runs the extraction, then lays the layers over each other in one folder, as the COPY lines do. */
    private static Path layers(Path root, List<String> extract, List<String> layers) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(extract).directory(root.toFile()).inheritIO().start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        Path app = Files.createDirectories(root.resolve("app"));
        for (String layer : layers) {
            Path from = root.resolve("extracted").resolve(layer);
            if (!Files.isDirectory(from)) {
                continue; // snapshot-dependencies is empty, and then absent
            }
            try (Stream<Path> files = Files.walk(from)) {
                for (Path file : files.toList()) {
                    Path to = app.resolve(from.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        return app;
    }
}
