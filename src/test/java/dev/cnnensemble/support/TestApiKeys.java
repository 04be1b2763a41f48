package dev.cnnensemble.support;

/** The API keys that in-process test services accept: one per role. */
public final class TestApiKeys {

    public static final String ADMIN = "suite-admin-key-0123456789abcdef";
    public static final String PREDICT = "suite-predict-key-0123456789abcd";
    /** The property that configures both, for {@code @SpringBootTest(properties = ...)}. */
    public static final String PROPERTY = "cnn.security.api-keys=suite-admin:admin:" + ADMIN + ",suite-predict:predict:" + PREDICT;

    private TestApiKeys() {
    }
}
