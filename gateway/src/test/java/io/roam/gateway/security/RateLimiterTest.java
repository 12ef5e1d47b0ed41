package io.roam.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong();
    private final RateLimiter limiter = new RateLimiter(2, 3, now::get);

    @Test
    void aCallerMayMakeABurstThenWaitsForTheBucketToRefill() {
        assertThat(limiter.admit("alice")).isEmpty();
        assertThat(limiter.admit("alice")).isEmpty();
        assertThat(limiter.admit("alice")).isEmpty();

        assertThat(limiter.admit("alice")).contains(Duration.ofMillis(500));

        now.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(limiter.admit("alice")).isEmpty();
        assertThat(limiter.admit("alice")).isPresent();
    }

    @Test
    void eachCallerHasItsOwnBucket() {
        for (int request = 0; request < 3; request++) {
            limiter.admit("alice");
        }
        assertThat(limiter.admit("alice")).isPresent();
        assertThat(limiter.admit("bob")).isEmpty();
    }

    @Test
    void anIdleCallersBucketFillsUpToTheBurstAndNoFurther() {
        for (int request = 0; request < 3; request++) {
            limiter.admit("alice");
        }
        now.addAndGet(Duration.ofHours(1).toNanos());
        for (int request = 0; request < 3; request++) {
            assertThat(limiter.admit("alice")).isEmpty();
        }
        assertThat(limiter.admit("alice")).isPresent();
    }

    @Test
    void aLimitThatAdmitsNothingIsAConfigurationError() {
        assertThatThrownBy(() -> new RateLimiter(0, 3, now::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("roam.gateway.security.rate-limit");
    }
}
