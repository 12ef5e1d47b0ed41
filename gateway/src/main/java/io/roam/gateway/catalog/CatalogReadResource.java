package io.roam.gateway.catalog;

import io.roam.contracts.catalog.ArtifactView;
import io.roam.contracts.catalog.ManifestPage;
import io.roam.contracts.catalog.ReplicaView;
import io.roam.contracts.catalog.TransferView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Reads answered from the catalog, the single source of truth for artifacts and transfers. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogReadResource {

    private final CatalogClient catalog;

    public CatalogReadResource(@RestClient CatalogClient catalog) {
        this.catalog = catalog;
    }

    @GET
    @Path("/transfers/{id}")
    public TransferView transfer(@PathParam("id") UUID id) {
        return catalog.transfer(id);
    }

    @GET
    @Path("/artifacts/{id}")
    public ArtifactView artifact(@PathParam("id") UUID id) {
        return catalog.artifact(id);
    }

    /** The newest version of an artifact, e.g. the latest checkpoint of a run. */
    @GET
    @Path("/artifacts/latest")
    public ArtifactView latestArtifact(@QueryParam("project") String project, @QueryParam("kind") String kind,
            @QueryParam("name") String name) {
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
}
