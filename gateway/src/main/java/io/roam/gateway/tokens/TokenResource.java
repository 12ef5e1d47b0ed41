package io.roam.gateway.tokens;

import io.roam.contracts.security.ApiTokenRegistration;
import io.roam.contracts.security.ApiTokenView;
import io.roam.contracts.security.IssuedApiToken;
import io.roam.contracts.security.ProjectRole;
import io.roam.gateway.catalog.CatalogClient;
import io.roam.gateway.security.Caller;
import io.roam.gateway.security.ProjectAccess;
import io.roam.gateway.security.SecurityConfiguration;
import io.roam.service.InvalidRequestException;
import io.roam.service.Names;
import io.roam.service.Problem.FieldError;
import io.roam.service.ResourceNotFoundException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Long-lived API tokens for training jobs and CI, stored by the catalog as hashes. Only an admin of every project a
 * token names may issue it, see it listed or revoke it ({@code *} needs an admin of every project); the secret is
 * returned once, when issued.
 */
@Path("/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TokenResource {

    static final Duration LONGEST_LIFETIME = Duration.ofDays(365);

    private static final Logger LOG = Logger.getLogger(TokenResource.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final int MAXIMUM_PROJECTS = 64;

    private final CatalogClient catalog;
    private final ProjectAccess access;
    private final SecurityConfiguration configuration;

    public TokenResource(@RestClient CatalogClient catalog, ProjectAccess access, SecurityConfiguration configuration) {
        this.catalog = catalog;
        this.access = access;
        this.configuration = configuration;
    }

    /** 201 with the token's details and its secret, shown this once. */
    @POST
    public Response issue(TokenRequest request) {
        Instant now = Instant.now();
        ApiTokenRegistration registration = validate(request, now);
        access.requireInEvery(registration.projects().keySet(), ProjectRole.ADMIN);
        IssuedApiToken issued = catalog.issueToken(registration);
        LOG.infof("API token %s (%s) issued by %s for %s, expires %s", issued.details().id(), issued.details().name(),
                registration.createdBy(), registration.projects().keySet(), registration.expiresAt());
        return Response.status(Response.Status.CREATED).entity(issued).build();
    }

    /** The live tokens whose every project the caller administers, without secrets. */
    @GET
    public List<ApiTokenView> list() {
        return catalog.tokens().stream()
                .filter(token -> access.holdsInEvery(token.projects(), ProjectRole.ADMIN))
                .toList();
    }

    /** 204; 404 for a token the caller could not see listed. Revocation takes effect at once. */
    @DELETE
    @Path("/{id}")
    @Consumes(MediaType.WILDCARD)
    public Response revoke(@PathParam("id") UUID id) {
        ApiTokenView token = catalog.token(id);
        if (!access.holdsInEvery(token.projects(), ProjectRole.ADMIN)) {
            throw new ResourceNotFoundException("no API token has id " + id);
        }
        catalog.revokeToken(id);
        LOG.infof("API token %s (%s) revoked by %s", id, token.name(), access.caller().name());
        return Response.noContent().build();
    }

    private ApiTokenRegistration validate(TokenRequest request, Instant now) {
        if (request == null) {
            throw new InvalidRequestException("body", "a token request is required");
        }
        List<FieldError> errors = new ArrayList<>();
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            errors.add(new FieldError("name", "is required: letters, digits, '.', '_' or '-', at most 128 characters, "
                    + "starting with a letter or digit"));
        }
        Map<String, ProjectRole> projects = request.projects() == null ? Map.of() : request.projects();
        if (projects.isEmpty()) {
            errors.add(new FieldError("projects", "at least one project and its role are required"));
        }
        else if (projects.size() > MAXIMUM_PROJECTS) {
            errors.add(new FieldError("projects", "at most " + MAXIMUM_PROJECTS + " projects are allowed"));
        }
        projects.forEach((project, role) -> {
            if (!Names.isProjectOrEveryProject(project)) {
                errors.add(new FieldError("projects", "'*' or a project name (lowercase letters, digits, '.', '_' or '-', "
                        + "at most 63 characters) is required as a key"));
            }
            else if (role == null) {
                errors.add(new FieldError("projects." + project, "is required: reader, writer or admin"));
            }
        });
        Instant expiresAt = request.expiresAt() != null ? request.expiresAt() : now.plus(configuration.apiTokenLifetime());
        if (!expiresAt.isAfter(now)) {
            errors.add(new FieldError("expiresAt", "must be in the future"));
        }
        else if (expiresAt.isAfter(now.plus(LONGEST_LIFETIME))) {
            errors.add(new FieldError("expiresAt", "must be at most 365 days ahead"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        Caller caller = access.caller();
        return new ApiTokenRegistration(request.name(), Map.copyOf(projects), expiresAt, caller.name());
    }
}
