package dev.cnnensemble.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The whole service on a random port over the shared test data directory (where RealData keeps the
 * verified datasets), preloading and downloading nothing: the tests of its HTTP surface share this
 * one application context. (The data directory starts with ./ because H2 refuses a database path
 * that is implicitly relative.) An admin API key is configured for tests that send mutating requests
 * ({@link #ADMIN_KEY}, as {@code Authorization: Bearer}); a service without authentication ignores it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "cnn.datasets.preload=", "cnn.datasets.mirrors-enabled=false", "cnn.data-dir=./target/test-data",
        "cnn.security.api-keys=corpus:admin:" + ServiceOnRandomPort.ADMIN_KEY})
public @interface ServiceOnRandomPort {

    /** The admin key of the test service: 32 characters, for tests only. */
    String ADMIN_KEY = "corpus-admin-key-for-tests-00032";
}
