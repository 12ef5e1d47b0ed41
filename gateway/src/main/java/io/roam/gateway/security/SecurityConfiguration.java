package io.roam.gateway.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How the gateway authenticates and limits its callers, under {@code roam.gateway.security}. JWTs are verified with
 * the standard SmallRye JWT settings ({@code mp.jwt.verify.issuer}, {@code mp.jwt.verify.audiences},
 * {@code mp.jwt.verify.publickey.location}); API tokens by asking the catalog.
 */
@ConfigMapping(prefix = "roam.gateway.security")
public interface SecurityConfiguration {

    /**
     * The JWT claim holding the caller's projects and roles, a JSON object such as
     * {@code {"llm": "writer", "vision": "reader"}}; the project {@code *} means every project.
     */
    @WithDefault("projects")
    String projectsClaim();

    /** How long an API token lives when its request names no {@code expiresAt}: 90 days. At most 365 days are allowed. */
    @WithDefault("P90D")
    Duration apiTokenLifetime();

    /** The requests each caller may make. */
    RateLimit rateLimit();

    /**
     * A token bucket per authenticated caller (an API token, or a JWT's issuer and subject), kept in the memory of
     * each gateway instance: behind a load balancer over N instances a caller may make up to N times as many.
     */
    interface RateLimit {

        /** The sustained rate: requests per second refilled into the bucket. */
        @WithDefault("20")
        double requestsPerSecond();

        /** The bucket's size: how many requests a caller may make at once after being idle. */
        @WithDefault("100")
        int burst();
    }
}
