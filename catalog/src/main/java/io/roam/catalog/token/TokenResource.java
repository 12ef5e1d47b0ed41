package io.roam.catalog.token;

import io.roam.contracts.security.ApiTokenIntrospection;
import io.roam.contracts.security.ApiTokenRegistration;
import io.roam.contracts.security.ApiTokenView;
import io.roam.contracts.security.IssuedApiToken;
import io.roam.service.InvalidRequestException;
import io.roam.service.Names;
import io.roam.service.ResourceNotFoundException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;

/**
 * API tokens, for the gateway: it decides who may issue, see and revoke which token, and asks here whether a
 * presented token is valid. Never answers with a token's secret, except once, to the request that issued it.
 */
@Path("/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TokenResource {

    private final TokenService tokens;

    public TokenResource(TokenService tokens) {
        this.tokens = tokens;
    }

    /** Issues a token: 201 with its secret, shown this once, or 400 naming every invalid field. */
    @POST
    public Response issue(ApiTokenRegistration registration) {
        IssuedApiToken issued = tokens.issue(registration);
        return Response.status(Response.Status.CREATED).entity(issued).build();
    }

    /** The tokens not revoked, newest first; with {@code project}, those whose grants name it. */
    @GET
    public List<ApiTokenView> list(@QueryParam("project") String project) {
        if (project != null && !Names.isProjectOrEveryProject(project)) {
            throw new InvalidRequestException("project", Names.PROJECT_RULE + ", or " + TokenService.EVERY_PROJECT);
        }
        return project == null ? tokens.list() : tokens.listNaming(project);
    }

    @GET
    @Path("/{id}")
    public ApiTokenView get(@PathParam("id") UUID id) {
        return tokens.view(id);
    }

    /** Revokes a token: 204, also when it was already revoked; 404 when no token has this id. */
    @DELETE
    @Path("/{id}")
    @Consumes(MediaType.WILDCARD)
    public Response revoke(@PathParam("id") UUID id) {
        tokens.revoke(id);
        return Response.noContent().build();
    }

    /** The details of a valid token (known, not revoked, not expired), or 404. */
    @POST
    @Path("/introspection")
    public ApiTokenView introspect(ApiTokenIntrospection introspection) {
        if (introspection == null || introspection.token() == null || introspection.token().isEmpty()) {
            throw new InvalidRequestException("token", "is required");
        }
        return tokens.introspect(introspection.token())
                .orElseThrow(() -> new ResourceNotFoundException("no valid API token matches"));
    }
}
