package io.roam.catalog.security;

import io.roam.service.Problem;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Lets a request reach the catalog's REST API only with {@code Authorization: Bearer <service token>}; any other
 * request is answered with a 401 problem and {@code WWW-Authenticate: Bearer}.
 *
 * <p>A JAX-RS filter rather than a Quarkus {@code HttpAuthenticationMechanism}: the catalog has one kind of caller
 * and nothing to authorise per caller, so a security identity would be read by nobody, and the filter answers with
 * the same RFC 9457 problem body as every other error of the API. It runs before resource matching, so an unknown
 * path is a 401 too (no probing for endpoints) and no body is read for an unauthenticated request. The health,
 * metrics and OpenAPI endpoints under {@code /q/} are not JAX-RS resources and stay open to the platform's probes
 * and scrapers, as they must.
 */
public class ServiceTokenAuthentication {

    /** RFC 6750's b64token; the scheme is case-insensitive (RFC 9110). */
    private static final Pattern BEARER = Pattern.compile("(?i:bearer) +([A-Za-z0-9._~+/-]+=*)");

    private final ServiceTokens serviceTokens;

    public ServiceTokenAuthentication(ServiceTokens serviceTokens) {
        this.serviceTokens = serviceTokens;
    }

    /** @return null to let the request through, else the 401 to answer */
    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    public Response authenticate(ContainerRequestContext request) {
        List<String> authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isEmpty()) {
            return unauthorized(request, "a service token is required: Authorization: Bearer <token>");
        }
        Matcher bearer = BEARER.matcher(authorization.size() == 1 ? authorization.getFirst() : "");
        if (!bearer.matches() || !serviceTokens.accepts(bearer.group(1))) {
            // Neither the header nor the token is quoted: the message must not carry a secret anywhere.
            return unauthorized(request, "the request's Authorization is not a service token the catalog accepts");
        }
        return null;
    }

    private static Response unauthorized(ContainerRequestContext request, String detail) {
        Problem problem = new Problem("urn:roam:problem:unauthorized", "Unauthorized", 401, detail,
                request.getUriInfo().getPath(), List.of());
        return Response.fromResponse(problem.toResponse()).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }
}
