package io.roam.gateway.catalog;

import io.roam.contracts.catalog.ArtifactView;
import io.roam.contracts.catalog.TransferView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
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
}
