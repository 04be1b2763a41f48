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
 * one application context, and authenticate with {@link TestApiKeys}. (The data directory starts
 * with ./ because H2 refuses a database path that is implicitly relative.)
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "cnn.datasets.preload=", "cnn.datasets.mirrors-enabled=false", "cnn.data-dir=./target/test-data", TestApiKeys.PROPERTY})
public @interface ServiceOnRandomPort {
}
