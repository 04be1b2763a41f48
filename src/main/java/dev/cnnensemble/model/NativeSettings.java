package dev.cnnensemble.model;

import java.nio.file.Path;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Copies the {@code cnn.native.*} settings into the system properties that JavaCPP and DL4J read
 * once, when ND4J loads; so it runs before any bean exists. A {@code -D} flag on the command line
 * wins. The JavaCPP cache holds the extracted 330 MB libnd4jcpu; by default it lives under the data
 * directory, so a container extracts it once per volume rather than on every start.
 */
public class NativeSettings implements EnvironmentPostProcessor {

    static final String CACHE_DIR = "org.bytedeco.javacpp.cachedir";
    static final String MAX_BYTES = "org.bytedeco.javacpp.maxbytes";
    static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxphysicalbytes";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String dataDir = environment.getProperty("cnn.data-dir", "./data");
        setUnlessPresent(CACHE_DIR, environment.getProperty("cnn.native.cache-dir", Path.of(dataDir, "javacpp").toString()));
        setUnlessPresent(MAX_BYTES, environment.getProperty("cnn.native.max-bytes", "4G"));
        setUnlessPresent(MAX_PHYSICAL_BYTES, environment.getProperty("cnn.native.max-physical-bytes", "12G"));
        OneDnn.enableHelpersUnlessConfigured();
    }

    private static void setUnlessPresent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
