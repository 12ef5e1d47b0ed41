package io.roam.gateway.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.quarkus.rest.client.reactive.jackson.ClientObjectMapper;
import io.roam.contracts.catalog.ArtifactPage;
import io.roam.contracts.catalog.ArtifactRegistration;
import io.roam.contracts.catalog.ArtifactView;
import io.roam.contracts.catalog.ManifestPage;
import io.roam.contracts.catalog.PolicyTarget;
import io.roam.contracts.catalog.ReplicaResolution;
import io.roam.contracts.catalog.ReplicaView;
import io.roam.contracts.catalog.ReplicationPolicyDefinition;
import io.roam.contracts.catalog.ReplicationPolicyView;
import io.roam.contracts.catalog.TransferRegistration;
import io.roam.contracts.catalog.TransferView;
import io.roam.contracts.security.ApiTokenIntrospection;
import io.roam.contracts.security.ApiTokenRegistration;
import io.roam.contracts.security.ApiTokenView;
import io.roam.contracts.security.IssuedApiToken;
import io.roam.service.ConflictException;
import io.roam.service.InvalidRequestException;
import io.roam.service.Problem;
import io.roam.service.ResourceNotFoundException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.ClientWebApplicationException;

/**
 * The catalog's REST API, as the gateway uses it. Every call carries the gateway's service token
 * ({@link CatalogServiceTokenHeaders}). Answers are read tolerantly ({@link #tolerantObjectMapper}).
 */
@RegisterRestClient(configKey = "catalog")
@RegisterClientHeaders(CatalogServiceTokenHeaders.class)
@Path("/v1")
public interface CatalogClient {

    @POST
    @Path("/artifacts")
    ArtifactView registerArtifact(ArtifactRegistration registration);

    @GET
    @Path("/artifacts")
    ArtifactPage artifacts(@QueryParam("project") String project, @QueryParam("kind") String kind,
            @QueryParam("name") String name, @QueryParam("version") String version, @QueryParam("label") List<String> labels,
            @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit);

    @GET
    @Path("/artifacts/{id}")
    ArtifactView artifact(@PathParam("id") UUID id);

    @GET
    @Path("/artifacts/{id}/resolve")
    ReplicaResolution resolve(@PathParam("id") UUID id, @QueryParam("near") String near, @QueryParam("excluding") String excluding);

    @POST
    @Path("/artifacts/{artifactId}/replicas/{replicaId}/verification")
    TransferView verifyReplica(@PathParam("artifactId") UUID artifactId, @PathParam("replicaId") UUID replicaId);

    @POST
    @Path("/policies")
    ReplicationPolicyView createPolicy(ReplicationPolicyDefinition definition);

    @GET
    @Path("/policies")
    List<ReplicationPolicyView> policies(@QueryParam("project") String project);

    @GET
    @Path("/policies/{id}")
    ReplicationPolicyView policy(@PathParam("id") UUID id);

    @DELETE
    @Path("/policies/{id}")
    void deletePolicy(@PathParam("id") UUID id);

    @GET
    @Path("/policies/targets")
    List<PolicyTarget> policyTargets(@QueryParam("project") String project, @QueryParam("kind") String kind,
            @QueryParam("name") String name, @QueryParam("version") String version);

    @GET
    @Path("/artifacts/latest")
    ArtifactView latestArtifact(@QueryParam("project") String project, @QueryParam("kind") String kind,
            @QueryParam("name") String name);

    @GET
    @Path("/artifacts/{id}/replicas")
    List<ReplicaView> replicas(@PathParam("id") UUID id);

    @GET
    @Path("/artifacts/{id}/manifest")
    ManifestPage manifest(@PathParam("id") UUID id, @QueryParam("after") String after, @QueryParam("limit") Integer limit);

    @POST
    @Path("/transfers")
    TransferView registerTransfer(TransferRegistration registration);

    @GET
    @Path("/transfers/{id}")
    TransferView transfer(@PathParam("id") UUID id);

    @POST
    @Path("/transfers/{id}/cancellation")
    TransferView cancelTransfer(@PathParam("id") UUID id);

    /** Issues an API token: the catalog generates the secret and keeps only its hash. */
    @POST
    @Path("/tokens")
    IssuedApiToken issueToken(ApiTokenRegistration registration);

    /** The API tokens not revoked, without their secrets. */
    @GET
    @Path("/tokens")
    List<ApiTokenView> tokens();

    @GET
    @Path("/tokens/{id}")
    ApiTokenView token(@PathParam("id") UUID id);

    /** Revokes an API token; revoking one twice is no error. */
    @DELETE
    @Path("/tokens/{id}")
    void revokeToken(@PathParam("id") UUID id);

    /** The live (not revoked, not expired) API token with this secret; 404 when there is none. */
    @POST
    @Path("/tokens/introspection")
    ApiTokenView introspect(ApiTokenIntrospection introspection);

    /**
     * The gateway's own API refuses unknown fields, but the catalog's answers may carry fields this gateway does not
     * know yet while the two are of different releases during a rolling upgrade: they are ignored, not failed on.
     */
    @ClientObjectMapper
    static ObjectMapper tolerantObjectMapper(ObjectMapper defaultObjectMapper) {
        return defaultObjectMapper.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /**
     * A 400, 404 or 409 is the client's to see; any other failure of the catalog is the gateway's to report as 503,
     * a 401 or 403 because the gateway's service token is wrong.
     */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        if (response.getStatus() == 401 || response.getStatus() == 403) {
            return CatalogServiceTokenHeaders.refused(response.getStatus());
        }
        if (response.getStatus() == 404) {
            return new ResourceNotFoundException(detail(response));
        }
        if (response.getStatus() == 409) {
            return new ConflictException(detail(response));
        }
        if (response.getStatus() == 400) {
            // The catalog names every invalid field; the client sees them as the gateway's own 400.
            Problem problem = response.readEntity(Problem.class);
            return problem.errors().isEmpty()
                    ? new InvalidRequestException("request", problem.detail())
                    : new InvalidRequestException(problem.errors());
        }
        return new CatalogUnavailableException("the catalog answered " + response.getStatus(),
                new ClientWebApplicationException(response.getStatus()));
    }

    private static String detail(Response response) {
        try {
            return response.readEntity(Problem.class).detail();
        }
        catch (RuntimeException unreadable) {
            return response.getStatusInfo().getReasonPhrase();
        }
    }
}
