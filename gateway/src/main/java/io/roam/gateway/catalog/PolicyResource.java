package io.roam.gateway.catalog;

import io.roam.contracts.catalog.ReplicationPolicyDefinition;
import io.roam.contracts.catalog.ReplicationPolicyView;
import io.roam.contracts.security.ProjectRole;
import io.roam.gateway.requests.ArtifactRules;
import io.roam.gateway.security.ProjectAccess;
import io.roam.service.InvalidRequestException;
import io.roam.service.Problem.FieldError;
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
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Replication policies, stored by the catalog: which artifacts of a project are copied where as soon as a
 * training event announces them, and how many versions each target keeps. Creating and deleting one needs the admin
 * role in its project (and every target writable by the project), reading one the reader role.
 */
@Path("/v1/policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PolicyResource {

    private final CatalogClient catalog;
    private final ArtifactRules rules;
    private final ProjectAccess access;

    public PolicyResource(@RestClient CatalogClient catalog, ArtifactRules rules, ProjectAccess access) {
        this.catalog = catalog;
        this.rules = rules;
        this.access = access;
    }

    /** 201 with the stored policy; 400 naming every invalid field; 409 when it conflicts with another policy. */
    @POST
    public Response create(ReplicationPolicyDefinition definition) {
        if (definition == null) {
            throw new InvalidRequestException("body", "a replication policy is required");
        }
        List<FieldError> errors = new ArrayList<>();
        rules.policy(definition.project(), definition.namePattern(), errors);
        CatalogReadResource.refuseIfAny(errors);
        access.require(definition.project(), ProjectRole.ADMIN);
        if (definition.targets() != null) {
            for (int index = 0; index < definition.targets().size(); index++) {
                access.requireWritableTemplate("targets[" + index + "]", definition.targets().get(index), definition.project());
            }
        }
        return Response.status(Response.Status.CREATED).entity(catalog.createPolicy(definition)).build();
    }

    @GET
    public List<ReplicationPolicyView> list(@QueryParam("project") String project) {
        List<FieldError> errors = new ArrayList<>();
        rules.filters(project, null, null, errors);
        CatalogReadResource.refuseIfAny(errors);
        access.requireListable(project);
        return catalog.policies(project);
    }

    @GET
    @Path("/{id}")
    public ReplicationPolicyView get(@PathParam("id") UUID id) {
        return visible(id, ProjectRole.READER);
    }

    @DELETE
    @Path("/{id}")
    @Consumes(MediaType.WILDCARD)
    public Response delete(@PathParam("id") UUID id) {
        visible(id, ProjectRole.ADMIN);
        catalog.deletePolicy(id);
        return Response.noContent().build();
    }

    /** The policy, when the caller holds {@code role} in its project; 404 when it holds none. */
    private ReplicationPolicyView visible(UUID id, ProjectRole role) {
        ReplicationPolicyView policy = catalog.policy(id);
        access.requireFound(policy.project(), role, "no replication policy has id " + id);
        return policy;
    }
}
