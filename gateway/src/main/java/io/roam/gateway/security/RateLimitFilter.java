package io.roam.gateway.security;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Counts every request of an authenticated caller against its {@link RateLimiter} bucket, before the resource does
 * any work: over the limit is 429 with {@code Retry-After}. Anonymous requests are left to the {@code /v1/*}
 * permission, which refuses them.
 */
public class RateLimitFilter {

    private final CurrentIdentityAssociation identities;
    private final RateLimiter limiter;

    public RateLimitFilter(CurrentIdentityAssociation identities, RateLimiter limiter) {
        this.identities = identities;
        this.limiter = limiter;
    }

    @ServerRequestFilter
    public Uni<Void> limit() {
        return identities.getDeferredIdentity().invoke(identity -> {
            Caller caller = identity.getAttribute(Caller.IDENTITY_ATTRIBUTE);
            if (caller != null) {
                limiter.admit(caller.rateLimitKey()).ifPresent(wait -> {
                    throw new RateLimitedException(wait);
                });
            }
        }).replaceWithVoid();
    }
}
