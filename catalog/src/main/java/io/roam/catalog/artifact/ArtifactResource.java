package io.roam.catalog.artifact;

import io.roam.contracts.catalog.ArtifactRegistration;
import io.roam.contracts.catalog.ArtifactView;
import io.roam.contracts.catalog.ManifestPage;
import io.roam.contracts.catalog.ReplicaView;
import io.roam.contracts.messages.ArtifactKind;
import io.roam.service.InvalidRequestException;
import io.roam.service.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Artifacts, with their replicas and manifests. Registration is called by the gateway, which has
 * already validated the request against the public API's rules; this checks only what the schema needs.
 */
@Path("/v1/artifacts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ArtifactResource {

    private static final int MAXIMUM_REGISTRATION_ATTEMPTS = 3;
    private static final int MAXIMUM_MANIFEST_PAGE = 10_000;

    private final ArtifactService artifacts;

    public ArtifactResource(ArtifactService artifacts) {
        this.artifacts = artifacts;
    }

    @POST
    public ArtifactView register(ArtifactRegistration registration) {
        requireComplete(registration);
        for (int attempt = 1; ; attempt++) {
            try {
                return artifacts.view(artifacts.register(registration).id);
            }
            catch (ConcurrentRegistrationException raced) {
                if (attempt == MAXIMUM_REGISTRATION_ATTEMPTS) {
                    throw raced;
                }
            }
        }
    }

    @GET
    @Path("/{id}")
    public ArtifactView get(@PathParam("id") UUID id) {
        return artifacts.view(id);
    }

    /** The newest version of an artifact: where a restarted run finds its latest checkpoint. */
    @GET
    @Path("/latest")
    public ArtifactView latest(@QueryParam("project") String project, @QueryParam("kind") String kind,
            @QueryParam("name") String name) {
        List<Problem.FieldError> errors = new ArrayList<>();
        requireText(errors, "project", project);
        requireText(errors, "kind", kind);
        requireText(errors, "name", name);
        ArtifactKind artifactKind = null;
        if (kind != null && !kind.isBlank()) {
            try {
                artifactKind = ArtifactKind.fromWireName(kind);
            }
            catch (IllegalArgumentException unknown) {
                errors.add(new Problem.FieldError("kind", unknown.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return artifacts.latest(project, artifactKind, name);
    }

    @GET
    @Path("/{id}/replicas")
    public List<ReplicaView> replicas(@PathParam("id") UUID id) {
        return artifacts.replicas(id);
    }

    /** The manifest page by page, for artifacts of many files: follow {@code next} until it is null. */
    @GET
    @Path("/{id}/manifest")
    public ManifestPage manifest(@PathParam("id") UUID id, @QueryParam("after") String after,
            @QueryParam("limit") @DefaultValue("1000") int limit) {
        if (limit < 1 || limit > MAXIMUM_MANIFEST_PAGE) {
            throw new InvalidRequestException("limit", "must be between 1 and " + MAXIMUM_MANIFEST_PAGE);
        }
        return artifacts.manifest(id, after, limit);
    }

    private static void requireComplete(ArtifactRegistration registration) {
        if (registration == null) {
            throw new InvalidRequestException("body", "an artifact registration is required");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        requireText(errors, "project", registration.project());
        if (registration.kind() == null) {
            errors.add(new Problem.FieldError("kind", "is required"));
        }
        requireText(errors, "name", registration.name());
        requireText(errors, "version", registration.version());
        requireText(errors, "source", registration.source());
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    private static void requireText(List<Problem.FieldError> errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(new Problem.FieldError(field, "is required"));
        }
    }
}
