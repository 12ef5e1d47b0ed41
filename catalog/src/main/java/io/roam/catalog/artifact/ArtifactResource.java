package io.roam.catalog.artifact;

import static io.roam.catalog.RequestFields.requireText;

import io.roam.catalog.RequestFields;
import io.roam.contracts.catalog.ArtifactPage;
import io.roam.contracts.catalog.ArtifactRegistration;
import io.roam.contracts.catalog.ArtifactView;
import io.roam.contracts.catalog.ManifestPage;
import io.roam.contracts.catalog.ReplicaResolution;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private static final int MAXIMUM_ARTIFACT_PAGE = 500;

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

    /**
     * Artifacts newest first, filtered by project, kind, name, version and labels ({@code label=key=value},
     * every one must match), a page at a time: pass the {@code next} of one page as the {@code cursor} of the next.
     */
    @GET
    public ArtifactPage list(@QueryParam("project") String project, @QueryParam("kind") String kind,
            @QueryParam("name") String name, @QueryParam("version") String version, @QueryParam("label") List<String> labels,
            @QueryParam("cursor") String cursor, @QueryParam("limit") @DefaultValue("50") int limit) {
        List<Problem.FieldError> errors = new ArrayList<>();
        ArtifactKind artifactKind = kind == null ? null : RequestFields.kind(errors, "kind", kind);
        Map<String, String> labelFilter = new HashMap<>();
        for (String label : labels == null ? List.<String>of() : labels) {
            int equals = label.indexOf('=');
            if (equals <= 0) {
                errors.add(new Problem.FieldError("label", "'" + label + "' is not of the form key=value"));
            }
            else {
                labelFilter.put(label.substring(0, equals), label.substring(equals + 1));
            }
        }
        if (limit < 1 || limit > MAXIMUM_ARTIFACT_PAGE) {
            errors.add(new Problem.FieldError("limit", "must be between 1 and " + MAXIMUM_ARTIFACT_PAGE));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return artifacts.list(new ArtifactService.ArtifactFilter(project, artifactKind, name, version, labelFilter),
                cursor == null ? null : ArtifactCursor.decode(cursor), limit);
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
        ArtifactKind artifactKind = kind == null || kind.isBlank() ? null : RequestFields.kind(errors, "kind", kind);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return artifacts.latest(project, artifactKind, name);
    }

    /**
     * The verified replica a job at {@code near} (a storage profile name or a region) should read: same
     * profile, then same region, then same cloud, then any; other than the one at {@code excluding}, when
     * given (a staging copies from the nearest replica that is not its own target).
     */
    @GET
    @Path("/{id}/resolve")
    public ReplicaResolution resolve(@PathParam("id") UUID id, @QueryParam("near") String near,
            @QueryParam("excluding") String excluding) {
        if (near == null || near.isBlank()) {
            throw new InvalidRequestException("near", "is required: a storage profile name or a region");
        }
        return artifacts.resolve(id, near, Optional.ofNullable(excluding));
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
}
