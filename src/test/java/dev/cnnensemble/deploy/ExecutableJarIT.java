package dev.cnnensemble.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnensemble.support.ServiceProcess;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;

/**
 * The executable jar carries ONNX Runtime's native libraries for linux-x86_64 only, in its own nested
 * jar, stored as Spring Boot needs. That the service loads them and predicts from the jar, RestartIT
 * and QuickStartIT show.
 */
class ExecutableJarIT {

    @Test
    void onnxRuntimeKeepsOnlyItsLinuxX8664Libraries() throws IOException {
        try (ZipFile jar = new ZipFile(ServiceProcess.JAR.toFile())) {
            List<? extends ZipEntry> nested = jar.stream().filter(e -> e.getName().matches("BOOT-INF/lib/onnxruntime-[0-9.]+\\.jar")).toList();
            assertThat(nested).singleElement().satisfies(e -> assertThat(e.getMethod()).as("stored").isEqualTo(ZipEntry.STORED));

            List<String> natives = new ArrayList<>();
            boolean classes = false;
            try (InputStream in = jar.getInputStream(nested.get(0)); ZipInputStream ort = new ZipInputStream(in)) {
                for (ZipEntry entry = ort.getNextEntry(); entry != null; entry = ort.getNextEntry()) {
                    if (entry.getName().startsWith("ai/onnxruntime/native/") && !entry.isDirectory()) {
                        natives.add(entry.getName());
                    }
                    classes |= entry.getName().equals("ai/onnxruntime/OrtSession.class");
                }
            }
            assertThat(classes).as("the Java API").isTrue();
            assertThat(natives).containsExactlyInAnyOrder("ai/onnxruntime/native/linux-x64/libonnxruntime.so",
                    "ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so");
        }
    }
}
