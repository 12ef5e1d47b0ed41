package io.roam.gateway.security;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** The caller made more requests than its rate limit allows: answered 429 with {@code Retry-After}. */
public final class RateLimitedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public RateLimitedException(Duration retryAfter) {
        super("too many requests: try again in " + Math.max(1, retryAfter.toSeconds()) + " s");
        this.retryAfter = requireNonNull(retryAfter, "retryAfter is null");
    }

    /** How long until the caller's next request would be admitted. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
