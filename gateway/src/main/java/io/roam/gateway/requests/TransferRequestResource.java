package io.roam.gateway.requests;

import io.roam.contracts.catalog.TransferView;
import io.roam.contracts.security.ProjectRole;
import io.roam.gateway.catalog.CatalogClient;
import io.roam.gateway.security.ProjectAccess;
import io.roam.storage.Location;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Replication ("copy checkpoint X to Azure and GCS") and staging ("put dataset Y on the scratch disk
 * near my GPUs"), both answered 202 at once with the transfer ids to follow; and cancellation. Requesting needs
 * the writer role in the request's project, and the project must be allowed to read the source's storage profile and
 * write every target's; cancelling needs the writer role in the transfer's project. A staging that names no source
 * copies from the artifact's verified replica nearest its target ({@link StagingSources}).
 */
@Path("/v1")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class TransferRequestResource {

    private final TransferRequestValidator validator;
    private final TransferRequestService service;
    private final CatalogClient catalog;
    private final ProjectAccess access;
    private final StagingSources stagingSources;

    public TransferRequestResource(TransferRequestValidator validator, TransferRequestService service,
            @RestClient CatalogClient catalog, ProjectAccess access, StagingSources stagingSources) {
        this.validator = validator;
        this.service = service;
        this.catalog = catalog;
        this.access = access;
        this.stagingSources = stagingSources;
    }

    @POST
    @Path("/replications")
    public Response replicate(ReplicationRequest request) {
        return Response.accepted(service.submit(authorized(validator.validate(request)))).build();
    }

    @POST
    @Path("/stagings")
    public Response stage(StagingRequest request) {
        if (request == null || request.source() != null) {
            return Response.accepted(service.submit(authorized(validator.validate(request)))).build();
        }
        TransferRequestValidator.UnsourcedStaging staging = validator.validateUnsourced(request);
        // Before the catalog is asked, so that what it holds is told to the project's writers only.
        access.require(staging.artifact().project(), ProjectRole.WRITER);
        Location nearest = stagingSources.nearest(staging.artifact(), staging.target());
        StagingRequest sourced = new StagingRequest(request.project(), request.artifact(), nearest.toString(), request.target());
        return Response.accepted(service.submit(authorized(validator.validate(sourced)))).build();
    }

    /**
     * Cancels a transfer that has not ended: 202 with the transfer, now {@code CANCELLED}; 409 when it
     * has already succeeded or failed; 404 when there is no such transfer.
     */
    @DELETE
    @Path("/transfers/{id}")
    public Response cancel(@PathParam("id") UUID id) {
        TransferView transfer = catalog.transfer(id);
        access.requireFound(transfer.project(), ProjectRole.WRITER, "no transfer has id " + id);
        return Response.accepted(service.cancel(id)).build();
    }

    private ValidatedTransferRequest authorized(ValidatedTransferRequest request) {
        String project = request.artifact().project();
        access.require(project, ProjectRole.WRITER);
        access.requireReadable(request.source(), project);
        request.transfers().forEach(transfer -> access.requireWritable(transfer.target(), project));
        return request;
    }
}
