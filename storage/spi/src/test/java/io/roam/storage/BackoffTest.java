package io.roam.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));

    @Test
    void delaysAreRandomUpToACeilingThatDoublesWithEveryFailedAttemptUpToTheMaximum() {
        for (int failedAttempts = 1; failedAttempts <= 40; failedAttempts++) {
            long ceiling = Math.min(1000, 100L << Math.min(failedAttempts - 1, 20));
            for (int sample = 0; sample < 50; sample++) {
                assertThat(backoff.delay(failedAttempts)).isBetween(Duration.ZERO, Duration.ofMillis(ceiling));
            }
        }
    }

    @Test
    void delaysAreSpreadRatherThanAlwaysTheCeiling() {
        assertThat(java.util.stream.IntStream.range(0, 200).mapToObj(sample -> backoff.delay(4)).distinct().count()).isGreaterThan(10);
    }

    @Test
    void thereIsNoDelayBeforeAFirstAttempt() {
        assertThatThrownBy(() -> backoff.delay(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }
}
