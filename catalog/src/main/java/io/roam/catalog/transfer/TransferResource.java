package io.roam.catalog.transfer;

import io.roam.contracts.catalog.TransferRegistration;
import io.roam.contracts.catalog.TransferView;
import io.roam.service.InvalidRequestException;
import io.roam.service.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Transfers and their progress. Registration is called by the gateway before it publishes the request. */
@Path("/v1/transfers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TransferResource {

    private final TransferService transfers;

    public TransferResource(TransferService transfers) {
        this.transfers = transfers;
    }

    @POST
    public TransferView register(TransferRegistration registration) {
        requireComplete(registration);
        return transfers.register(registration);
    }

    @GET
    @Path("/{id}")
    public TransferView get(@PathParam("id") UUID id) {
        return transfers.view(id);
    }

    /** Cancels a transfer that has not ended (the gateway then tells the workers). */
    @POST
    @Path("/{id}/cancellation")
    @Consumes(MediaType.WILDCARD)
    public TransferView cancel(@PathParam("id") UUID id) {
        return transfers.cancel(id);
    }

    private static void requireComplete(TransferRegistration registration) {
        if (registration == null) {
            throw new InvalidRequestException("body", "a transfer registration is required");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        if (registration.id() == null) {
            errors.add(new Problem.FieldError("id", "is required"));
        }
        if (registration.artifactId() == null) {
            errors.add(new Problem.FieldError("artifactId", "is required"));
        }
        if (registration.purpose() == null) {
            errors.add(new Problem.FieldError("purpose", "is required"));
        }
        if (registration.source() == null || registration.source().isBlank()) {
            errors.add(new Problem.FieldError("source", "is required"));
        }
        if (registration.target() == null || registration.target().isBlank()) {
            errors.add(new Problem.FieldError("target", "is required"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }
}
