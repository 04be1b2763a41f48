package dev.cnnensemble.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.stream.Stream;

/**
 * A database on the local PostgreSQL that {@code bin/test} starts and creates ({@code bin/test-postgres}),
 * passed in CNN_TEST_POSTGRES_*. A plain {@code mvn verify} has none, and the tests that need one skip.
 */
public record TestPostgres(String url, String user, String password) {

    /** The database whose URL is in {@code urlVariable}; skips the calling test when it is not set. */
    public static TestPostgres require(String urlVariable) {
        String url = System.getenv(urlVariable);
        assumeTrue(url != null && !url.isBlank(), () -> urlVariable + " is not set: this test needs the PostgreSQL that bin/test starts"
                + " (eval \"$(bin/test-postgres)\" starts it and sets CNN_TEST_POSTGRES_*)");
        return new TestPostgres(url, System.getenv("CNN_TEST_POSTGRES_USER"), System.getenv("CNN_TEST_POSTGRES_PASSWORD"));
    }

    /** The service's arguments for this database, then {@code more}. */
    public String[] serviceArgs(String... more) {
        return Stream.concat(Stream.of("--spring.datasource.url=" + url, "--spring.datasource.username=" + user,
                "--spring.datasource.password=" + password), Stream.of(more)).toArray(String[]::new);
    }
}
