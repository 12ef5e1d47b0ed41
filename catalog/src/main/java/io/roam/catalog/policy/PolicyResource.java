package io.roam.catalog.policy;

import static io.roam.catalog.RequestFields.requireText;

import io.roam.catalog.RequestFields;
import io.roam.contracts.catalog.PolicyTarget;
import io.roam.contracts.catalog.ReplicationPolicyDefinition;
import io.roam.contracts.catalog.ReplicationPolicyView;
import io.roam.contracts.messages.ArtifactCoordinates;
import io.roam.contracts.messages.ArtifactKind;
import io.roam.service.InvalidRequestException;
import io.roam.service.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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

/** Replication policies per project. */
@Path("/v1/policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PolicyResource {

    private final PolicyService policies;

    public PolicyResource(PolicyService policies) {
        this.policies = policies;
    }

    /** Creates a policy: 201, or 400 naming every invalid field, or 409 when it conflicts with another. */
    @POST
    public Response create(ReplicationPolicyDefinition definition) {
        ReplicationPolicyView created = policies.create(definition);
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @GET
    public List<ReplicationPolicyView> list(@QueryParam("project") String project) {
        if (project == null || project.isBlank()) {
            throw new InvalidRequestException("project", "is required");
        }
        return policies.list(project);
    }

    @GET
    @Path("/{id}")
    public ReplicationPolicyView get(@PathParam("id") UUID id) {
        return policies.get(id);
    }

    @DELETE
    @Path("/{id}")
    @Consumes(MediaType.WILDCARD)
    public Response delete(@PathParam("id") UUID id) {
        policies.delete(id);
        return Response.noContent().build();
    }

    /** Where the project's policies would send an artifact with these coordinates. */
    @GET
    @Path("/targets")
    public List<PolicyTarget> targets(@QueryParam("project") String project, @QueryParam("kind") String kind,
            @QueryParam("name") String name, @QueryParam("version") String version) {
        List<Problem.FieldError> errors = new ArrayList<>();
        requireText(errors, "project", project);
        requireText(errors, "kind", kind);
        requireText(errors, "name", name);
        requireText(errors, "version", version);
        ArtifactKind artifactKind = kind == null || kind.isBlank() ? null : RequestFields.kind(errors, "kind", kind);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return policies.targets(new ArtifactCoordinates(project, artifactKind, name, version));
    }
}
