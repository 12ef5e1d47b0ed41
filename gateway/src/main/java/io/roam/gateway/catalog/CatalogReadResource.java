package io.roam.gateway.catalog;

import io.roam.contracts.catalog.ArtifactPage;
import io.roam.contracts.catalog.ArtifactView;
import io.roam.contracts.catalog.ManifestPage;
import io.roam.contracts.catalog.ReplicaResolution;
import io.roam.contracts.catalog.ReplicaView;
import io.roam.contracts.catalog.TransferView;
import io.roam.contracts.security.ProjectRole;
import io.roam.gateway.requests.ArtifactRules;
import io.roam.gateway.security.ProjectAccess;
import io.roam.service.InvalidRequestException;
import io.roam.service.Problem.FieldError;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Reads answered from the catalog, the single source of truth for artifacts and transfers, and the
 * on-demand re-verification of a replica, which the catalog schedules. Each needs the reader role in the project of
 * what it reads (the writer role to re-verify); what is read by id is fetched first and, for a caller without any role
 * in its project, answered 404 as if it did not exist.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class CatalogReadResource {

    private final CatalogClient catalog;
    private final ArtifactRules rules;
    private final ProjectAccess access;

    public CatalogReadResource(@RestClient CatalogClient catalog, ArtifactRules rules, ProjectAccess access) {
        this.catalog = catalog;
        this.rules = rules;
        this.access = access;
    }

    @GET
    @Path("/transfers/{id}")
    public TransferView transfer(@PathParam("id") UUID id) {
        TransferView transfer = catalog.transfer(id);
        access.requireFound(transfer.project(), ProjectRole.READER, "no transfer has id " + id);
        return transfer;
    }

    /**
     * Artifacts newest first, filtered by project, kind, name, version and labels ({@code label=key=value}, all
     * must match); follow {@code next} as {@code cursor} for the following page.
     */
    @GET
    @Path("/artifacts")
    public ArtifactPage artifacts(@QueryParam("project") String project, @QueryParam("kind") String kind,
            @QueryParam("name") String name, @QueryParam("version") String version, @QueryParam("label") List<String> labels,
            @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        List<FieldError> errors = new ArrayList<>();
        rules.filters(project, name, version, errors);
        refuseIfAny(errors);
        access.requireListable(project);
        return catalog.artifacts(project, kind, name, version, labels, cursor, limit);
    }

    @GET
    @Path("/artifacts/{id}")
    public ArtifactView artifact(@PathParam("id") UUID id) {
        return readable(id, ProjectRole.READER);
    }

    /**
     * The verified replica a job running at {@code near} (a storage profile name or a region) should
     * read: same profile, then same region, then same cloud, then any. What a preempted run restarting on
     * another cluster asks.
     */
    @GET
    @Path("/artifacts/{id}/resolve")
    public ReplicaResolution resolve(@PathParam("id") UUID id, @QueryParam("near") String near) {
        List<FieldError> errors = new ArrayList<>();
        rules.place("near", near, errors);
        refuseIfAny(errors);
        readable(id, ProjectRole.READER);
        return catalog.resolve(id, near, null);
    }

    /** Re-verifies one replica now, as the integrity audit does on its schedule: 202 with the verification transfer. */
    @POST
    @Path("/artifacts/{artifactId}/replicas/{replicaId}/verification")
    public Response verifyReplica(@PathParam("artifactId") UUID artifactId, @PathParam("replicaId") UUID replicaId) {
        readable(artifactId, ProjectRole.WRITER);
        return Response.accepted(catalog.verifyReplica(artifactId, replicaId)).build();
    }

    /** The newest version of an artifact, e.g. the latest checkpoint of a run. */
    @GET
    @Path("/artifacts/latest")
    public ArtifactView latestArtifact(@QueryParam("project") String project, @QueryParam("kind") String kind,
            @QueryParam("name") String name) {
        List<FieldError> errors = new ArrayList<>();
        rules.filters(project, name, null, errors);
        refuseIfAny(errors);
        access.requireListable(project);
        return catalog.latestArtifact(project, kind, name);
    }

    @GET
    @Path("/artifacts/{id}/replicas")
    public List<ReplicaView> replicas(@PathParam("id") UUID id) {
        readable(id, ProjectRole.READER);
        return catalog.replicas(id);
    }

    /** The manifest page by page: pass {@code next} of one page as {@code after} of the following one. */
    @GET
    @Path("/artifacts/{id}/manifest")
    public ManifestPage manifest(@PathParam("id") UUID id, @QueryParam("after") String after, @QueryParam("limit") Integer limit) {
        readable(id, ProjectRole.READER);
        return catalog.manifest(id, after, limit);
    }

    /** The artifact, when the caller holds {@code role} in its project; 404 when it holds none. */
    private ArtifactView readable(UUID id, ProjectRole role) {
        ArtifactView artifact = catalog.artifact(id);
        access.requireFound(artifact.project(), role, "no artifact has id " + id);
        return artifact;
    }

    static void refuseIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }
}
