package io.roam.gateway.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.roam.gateway.catalog.CatalogFailureMapper;
import io.roam.gateway.catalog.CatalogUnavailableException;
import io.roam.service.Problem;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Authentication and authorization failures as RFC 9457 problems. A 401 never says which check a token failed (an
 * attacker learns nothing from it) and carries {@code WWW-Authenticate: Bearer}; nothing here logs a token.
 */
public class SecurityProblemMappers {

    static final String BEARER_CHALLENGE = "Bearer realm=\"roam\"";

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException exception, UriInfo uriInfo) {
        // Asking the catalog about an API token failed: the gateway's dependency is down, not the caller's token.
        for (Throwable cause = exception.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof CatalogUnavailableException) {
                return CatalogFailureMapper.unavailable(uriInfo);
            }
        }
        return unauthorized(uriInfo);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException exception, UriInfo uriInfo) {
        return unauthorized(uriInfo);
    }

    @ServerExceptionMapper
    public Response accessDenied(AccessDeniedException exception, UriInfo uriInfo) {
        return new Problem("urn:roam:problem:forbidden", "Forbidden", 403, exception.getMessage(), uriInfo.getPath(), List.of())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response rateLimited(RateLimitedException exception, UriInfo uriInfo) {
        return Response.fromResponse(new Problem("urn:roam:problem:too-many-requests", "Too many requests", 429,
                exception.getMessage(), uriInfo.getPath(), List.of()).toResponse())
                .header(HttpHeaders.RETRY_AFTER, Math.max(1, (exception.retryAfter().toMillis() + 999) / 1000))
                .build();
    }

    private static Response unauthorized(UriInfo uriInfo) {
        return Response.fromResponse(new Problem("urn:roam:problem:unauthorized", "Unauthorized", 401,
                "a valid bearer token is required: 'Authorization: Bearer <token>' with a JWT or an API token",
                uriInfo.getPath(), List.of()).toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, BEARER_CHALLENGE)
                .build();
    }
}
