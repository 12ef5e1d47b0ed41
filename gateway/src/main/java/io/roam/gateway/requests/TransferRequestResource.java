package io.roam.gateway.requests;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/**
 * Replication ("copy checkpoint X to Azure and GCS") and staging ("put dataset Y on the scratch disk
 * near my GPUs"), both answered 202 at once with the transfer ids to follow; and cancellation.
 */
@Path("/v1")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class TransferRequestResource {

    private final TransferRequestValidator validator;
    private final TransferRequestService service;

    public TransferRequestResource(TransferRequestValidator validator, TransferRequestService service) {
        this.validator = validator;
        this.service = service;
    }

    @POST
    @Path("/replications")
    public Response replicate(ReplicationRequest request) {
        return Response.accepted(service.submit(validator.validate(request))).build();
    }

    @POST
    @Path("/stagings")
    public Response stage(StagingRequest request) {
        return Response.accepted(service.submit(validator.validate(request))).build();
    }

    /**
     * Cancels a transfer that has not ended: 202 with the transfer, now {@code CANCELLED}; 409 when it
     * has already succeeded or failed; 404 when there is no such transfer.
     */
    @DELETE
    @Path("/transfers/{id}")
    public Response cancel(@PathParam("id") UUID id) {
        return Response.accepted(service.cancel(id)).build();
    }
}
