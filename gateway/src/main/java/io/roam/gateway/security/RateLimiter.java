package io.roam.gateway.security;

import static java.util.Objects.requireNonNull;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per caller, in this gateway's memory: each bucket holds up to {@code burst} requests and refills at
 * {@code requestsPerSecond}. Buckets that are full again are forgotten when many callers have been seen, so memory
 * stays bounded by the callers active in the last {@code burst / requestsPerSecond} seconds.
 */
@ApplicationScoped
public class RateLimiter {

    private static final int BUCKETS_BEFORE_CLEANUP = 10_000;

    private final double requestsPerNanosecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Inject
    public RateLimiter(SecurityConfiguration configuration) {
        this(configuration.rateLimit().requestsPerSecond(), configuration.rateLimit().burst(), System::nanoTime);
    }

    RateLimiter(double requestsPerSecond, int burst, LongSupplier nanoTime) {
        if (requestsPerSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("roam.gateway.security.rate-limit: requests-per-second must be positive and burst "
                    + "at least 1, not " + requestsPerSecond + " and " + burst);
        }
        this.requestsPerNanosecond = requestsPerSecond / 1e9;
        this.burst = burst;
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
    }

    /**
     * Takes one request from the caller's bucket.
     *
     * @return empty when the request is admitted, otherwise how long until the next one would be
     */
    public Optional<Duration> admit(String callerKey) {
        requireNonNull(callerKey, "callerKey is null");
        long now = nanoTime.getAsLong();
        if (buckets.size() > BUCKETS_BEFORE_CLEANUP) {
            buckets.values().removeIf(bucket -> bucket.isFull(now));
        }
        return buckets.computeIfAbsent(callerKey, key -> new Bucket(now)).take(now);
    }

    private final class Bucket {

        private double available = burst;
        private long refilledAt;

        Bucket(long now) {
            refilledAt = now;
        }

        synchronized Optional<Duration> take(long now) {
            refill(now);
            if (available >= 1) {
                available -= 1;
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos((long) Math.ceil((1 - available) / requestsPerNanosecond)));
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return available >= burst;
        }

        private void refill(long now) {
            available = Math.min(burst, available + (now - refilledAt) * requestsPerNanosecond);
            refilledAt = now;
        }
    }
}
