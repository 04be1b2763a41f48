package dev.cnnensemble.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class OncePerModelTest {

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        private volatile Instant now = Instant.parse("2026-12-07T12:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void afterAFailureBackgroundStartsPauseButARequestStillTriesAtOnce() {
        TestClock clock = new TestClock();
        AtomicInteger runs = new AtomicInteger();
        AtomicBoolean testSetBack = new AtomicBoolean();
        try (OncePerModel<String> once = new OncePerModel<>("evaluate", "test-evaluation", id -> {
            runs.incrementAndGet();
            if (!testSetBack.get()) {
                throw new IllegalStateException("the dataset of " + id + " was deleted");
            }
            return "evaluated " + id;
        }, clock)) {
            assertThatThrownBy(() -> once.await("m")).isInstanceOf(IllegalStateException.class).hasMessage("the dataset of m was deleted");

            assertThat(once.startInBackground("m")).as("right after the failure").isFalse();
            clock.advance(OncePerModel.RETRY_AFTER_FAILURE.minusSeconds(1));
            assertThat(once.startInBackground("m")).as("a second before the pause ends").isFalse();
            assertThat(runs).hasValue(1);
            assertThat(once.startInBackground("other")).as("other models are not paused").isTrue();

            testSetBack.set(true);
            assertThat(once.await("m")).as("a request is never paused").isEqualTo("evaluated m");
            assertThat(once.startInBackground("m")).as("a success ends the pause").isTrue();
        }
    }

    @Test
    void theFirstBackgroundStartAfterThePauseRunsAgain() throws Exception {
        TestClock clock = new TestClock();
        CountDownLatch secondRun = new CountDownLatch(2);
        try (OncePerModel<String> once = new OncePerModel<>("evaluate", "test-evaluation", id -> {
            secondRun.countDown();
            throw new IllegalStateException("still failing");
        }, clock)) {
            assertThatThrownBy(() -> once.await("m")).hasMessage("still failing");
            clock.advance(OncePerModel.RETRY_AFTER_FAILURE);
            assertThat(once.startInBackground("m")).isTrue();
            assertThat(secondRun.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void onceClosedEveryStartFailsAtOnceInsteadOfLeavingARunToWaitOn() {
        OncePerModel<String> once = new OncePerModel<>("evaluate", "test-evaluation", id -> "evaluated " + id);
        once.close();

        assertThatThrownBy(() -> once.await("m")).isInstanceOf(RejectedExecutionException.class);
        assertThat(once.start("m")).as("not the first call's run, which never ran").isCompletedExceptionally();
    }

    @Test
    void requestsWhileItRunsShareTheRun() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        try (OncePerModel<Integer> once = new OncePerModel<>("evaluate", "test-evaluation", id -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return runs.incrementAndGet();
        })) {
            CompletableFuture<Integer> first = once.start("m");
            assertThat(once.start("m")).isSameAs(first);
            release.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(once.await("m")).as("a new run once the last one ended").isEqualTo(2);
        }
    }
}
