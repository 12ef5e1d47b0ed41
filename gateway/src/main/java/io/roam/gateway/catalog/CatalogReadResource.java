package io.roam.gateway.catalog;

import io.roam.contracts.catalog.ArtifactPage;
import io.roam.contracts.catalog.ArtifactView;
import io.roam.contracts.catalog.ManifestPage;
import io.roam.contracts.catalog.ReplicaResolution;
import io.roam.contracts.catalog.ReplicaView;
import io.roam.contracts.catalog.TransferView;
import io.roam.gateway.requests.ArtifactRules;
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
 * on-demand re-verification of a replica, which the catalog schedules.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class CatalogReadResource {

    private final CatalogClient catalog;
    private final ArtifactRules rules;

    public CatalogReadResource(@RestClient CatalogClient catalog, ArtifactRules rules) {
        this.catalog = catalog;
        this.rules = rules;
    }

    @GET
    @Path("/transfers/{id}")
    public TransferView transfer(@PathParam("id") UUID id) {
        return catalog.transfer(id);
    }

    /**
     * Artifacts newest first, filtered by project, kind, name and labels ({@code label=key=value}, all
     * must match); follow {@code next} as {@code cursor} for the following page.
     */
    @GET
    @Path("/artifacts")
    public ArtifactPage artifacts(@QueryParam("project") String project, @QueryParam("kind") String kind,
            @QueryParam("name") String name, @QueryParam("label") List<String> labels, @QueryParam("cursor") String cursor,
            @QueryParam("limit") Integer limit) {
        List<FieldError> errors = new ArrayList<>();
        rules.filters(project, name, errors);
        refuseIfAny(errors);
        return catalog.artifacts(project, kind, name, labels, cursor, limit);
    }

    @GET
    @Path("/artifacts/{id}")
    public ArtifactView artifact(@PathParam("id") UUID id) {
        return catalog.artifact(id);
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
        return catalog.resolve(id, near);
    }

    /** Re-verifies one replica now, as the integrity audit does on its schedule: 202 with the verification transfer. */
    @POST
    @Path("/artifacts/{artifactId}/replicas/{replicaId}/verification")
    public Response verifyReplica(@PathParam("artifactId") UUID artifactId, @PathParam("replicaId") UUID replicaId) {
        return Response.accepted(catalog.verifyReplica(artifactId, replicaId)).build();
    }

    /** The newest version of an artifact, e.g. the latest checkpoint of a run. */
    @GET
    @Path("/artifacts/latest")
    public ArtifactView latestArtifact(@QueryParam("project") String project, @QueryParam("kind") String kind,
            @QueryParam("name") String name) {
        List<FieldError> errors = new ArrayList<>();
        rules.filters(project, name, errors);
        refuseIfAny(errors);
        return catalog.latestArtifact(project, kind, name);
    }

    @GET
    @Path("/artifacts/{id}/replicas")
    public List<ReplicaView> replicas(@PathParam("id") UUID id) {
        return catalog.replicas(id);
    }

    /** The manifest page by page: pass {@code next} of one page as {@code after} of the following one. */
    @GET
    @Path("/artifacts/{id}/manifest")
    public ManifestPage manifest(@PathParam("id") UUID id, @QueryParam("after") String after, @QueryParam("limit") Integer limit) {
        return catalog.manifest(id, after, limit);
    }

    static void refuseIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }
}
