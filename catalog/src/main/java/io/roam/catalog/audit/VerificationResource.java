package io.roam.catalog.audit;

import io.roam.contracts.catalog.TransferView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/** Re-verifies one replica on demand, as the scheduled audit does: after a suspected tampering, or a restore. */
@Path("/v1/artifacts/{artifactId}/replicas/{replicaId}/verification")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class VerificationResource {

    private final IntegrityAudit audit;

    public VerificationResource(IntegrityAudit audit) {
        this.audit = audit;
    }

    /** 202 with the verification transfer; follow it at {@code /v1/transfers/{id}} and the replica's state. */
    @POST
    public Response verify(@PathParam("artifactId") UUID artifactId, @PathParam("replicaId") UUID replicaId) {
        return Response.accepted(audit.verifyNow(artifactId, replicaId)).build();
    }
}
