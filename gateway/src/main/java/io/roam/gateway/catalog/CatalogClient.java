package io.roam.gateway.catalog;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.roam.contracts.catalog.ArtifactRegistration;
import io.roam.contracts.catalog.ArtifactView;
import io.roam.contracts.catalog.TransferRegistration;
import io.roam.contracts.catalog.TransferView;
import io.roam.service.ConflictException;
import io.roam.service.ResourceNotFoundException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.ClientWebApplicationException;

/** The catalog's REST API, as the gateway uses it. */
@RegisterRestClient(configKey = "catalog")
@Path("/v1")
public interface CatalogClient {

    @POST
    @Path("/artifacts")
    ArtifactView registerArtifact(ArtifactRegistration registration);

    @GET
    @Path("/artifacts/{id}")
    ArtifactView artifact(@PathParam("id") UUID id);

    @POST
    @Path("/transfers")
    TransferView registerTransfer(TransferRegistration registration);

    @GET
    @Path("/transfers/{id}")
    TransferView transfer(@PathParam("id") UUID id);

    @POST
    @Path("/transfers/{id}/cancellation")
    TransferView cancelTransfer(@PathParam("id") UUID id);

    /** A 404 or 409 is the client's to see; any other failure of the catalog is the gateway's to report as 503. */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        if (response.getStatus() == 404) {
            return new ResourceNotFoundException(detail(response));
        }
        if (response.getStatus() == 409) {
            return new ConflictException(detail(response));
        }
        return new CatalogUnavailableException("the catalog answered " + response.getStatus(),
                new ClientWebApplicationException(response.getStatus()));
    }

    private static String detail(Response response) {
        try {
            return response.readEntity(io.roam.service.Problem.class).detail();
        }
        catch (RuntimeException unreadable) {
            return response.getStatusInfo().getReasonPhrase();
        }
    }
}
