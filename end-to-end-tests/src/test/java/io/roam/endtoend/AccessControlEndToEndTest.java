package io.roam.endtoend;

import static io.roam.endtoend.RoamUnderTest.anonymousGateway;
import static io.roam.endtoend.RoamUnderTest.awaitFinished;
import static io.roam.endtoend.RoamUnderTest.gatewayAs;
import static io.roam.endtoend.RoamUnderTest.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.roam.contracts.security.ProjectRole;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every gateway endpoint, against the real stack: without a token it is 401; with the token of another project's
 * admin it is 403 (for a request naming the project) or 404 (for a resource read by id, whose existence must not
 * leak); with too low a role it is 403; with the role it needs it succeeds. And API tokens: issued over REST, listed
 * without their secret, and refused at once after they are revoked.
 */
@ExtendWith(RoamUnderTest.class)
class AccessControlEndToEndTest {

    private static final Path STORAGE = RoamUnderTest.LOCAL_STORAGE;
    private static final String PROJECT = "llm";

    private static String reader;
    private static String writer;
    private static String admin;
    private static String otherProjectsAdmin;
    private static Fixture fixture;

    /** What the endpoints are called on: an artifact of project llm with a verified replica, its transfer and a policy. */
    private record Fixture(String run, String sourceDirectory, String artifactId, String transferId, String replicaId,
            String policyId) {
    }

    /**
     * One endpoint: how to call it, the role it needs in project llm, and what another project's admin gets.
     *
     * @param belowNeeded what a caller with a lower role in llm gets: 403, except for an API token, which is
     *     visible only to admins of its projects and so not found for anyone else
     * @param succeeded what the role it needs gets (a cancellation of a transfer that has ended is 409: it got past
     *     every check)
     */
    record Endpoint(String name, Function<RequestSpecification, Response> call, ProjectRole needs, int otherProject,
            int belowNeeded, Set<Integer> succeeded) {

        Endpoint(String name, Function<RequestSpecification, Response> call, ProjectRole needs, int otherProject,
                Set<Integer> succeeded) {
            this(name, call, needs, otherProject, 403, succeeded);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void createAProjectsResources() throws IOException {
        reader = tokens().sign("llm-reader", Map.of(PROJECT, ProjectRole.READER));
        writer = tokens().sign("llm-writer", Map.of(PROJECT, ProjectRole.WRITER));
        admin = tokens().sign("llm-admin", Map.of(PROJECT, ProjectRole.ADMIN));
        otherProjectsAdmin = tokens().sign("vision-admin", Map.of("vision", ProjectRole.ADMIN));

        String run = "access-" + UUID.randomUUID();
        Path source = STORAGE.resolve("data").resolve(run).resolve("checkpoint-1");
        Files.createDirectories(source);
        Files.writeString(source.resolve("weights.bin"), "weights of " + run);
        JsonPath accepted = gatewayAs(writer).contentType(ContentType.JSON)
                .body(replication(run, "checkpoint-1", source + "/", STORAGE.resolve("replica-access").resolve(run) + "/"))
                .post("/v1/replications").then().statusCode(202).extract().jsonPath();
        String transferId = accepted.getString("transfers[0].id");
        assertThat(awaitFinished(transferId).getString("state")).isEqualTo("SUCCEEDED");
        String artifactId = accepted.getString("artifactId");
        String replicaId = gatewayAs(reader).get("/v1/artifacts/{id}/replicas", artifactId).then().statusCode(200)
                .extract().path("[0].id");
        String policyId = gatewayAs(admin).contentType(ContentType.JSON).body(policy())
                .post("/v1/policies").then().statusCode(201).extract().path("id");
        fixture = new Fixture(run, source + "/", artifactId, transferId, replicaId, policyId);
    }

    static Stream<Endpoint> everyEndpoint() {
        Set<Integer> ok = Set.of(200);
        Set<Integer> accepted = Set.of(202);
        return Stream.of(
                new Endpoint("POST /v1/replications", request -> request.contentType(ContentType.JSON)
                        .body(replication(fixture.run(), "copy-" + UUID.randomUUID(), fixture.sourceDirectory(),
                                STORAGE.resolve("replica-access").resolve(UUID.randomUUID().toString()) + "/"))
                        .post("/v1/replications"), ProjectRole.WRITER, 403, accepted),
                new Endpoint("POST /v1/stagings", request -> request.contentType(ContentType.JSON)
                        .body(Map.of("project", PROJECT, "artifact", Map.of("kind", "dataset", "name", "ds-" + UUID.randomUUID(),
                                "version", "1"), "source", fixture.sourceDirectory(),
                                "target", STORAGE.resolve("scratch-access").resolve(UUID.randomUUID().toString()) + "/"))
                        .post("/v1/stagings"), ProjectRole.WRITER, 403, accepted),
                new Endpoint("GET /v1/transfers/{id}", request -> request.get("/v1/transfers/{id}", fixture.transferId()),
                        ProjectRole.READER, 404, ok),
                new Endpoint("DELETE /v1/transfers/{id}", request -> request.delete("/v1/transfers/{id}", fixture.transferId()),
                        ProjectRole.WRITER, 404, Set.of(202, 409)),
                new Endpoint("GET /v1/artifacts?project=", request -> request.queryParam("project", PROJECT).get("/v1/artifacts"),
                        ProjectRole.READER, 403, ok),
                new Endpoint("GET /v1/artifacts/latest", request -> request.queryParam("project", PROJECT)
                        .queryParam("kind", "checkpoint").queryParam("name", fixture.run()).get("/v1/artifacts/latest"),
                        ProjectRole.READER, 403, ok),
                new Endpoint("GET /v1/artifacts/{id}", request -> request.get("/v1/artifacts/{id}", fixture.artifactId()),
                        ProjectRole.READER, 404, ok),
                new Endpoint("GET /v1/artifacts/{id}/resolve", request -> request.queryParam("near", "lab")
                        .get("/v1/artifacts/{id}/resolve", fixture.artifactId()), ProjectRole.READER, 404, ok),
                new Endpoint("GET /v1/artifacts/{id}/replicas", request -> request.get("/v1/artifacts/{id}/replicas",
                        fixture.artifactId()), ProjectRole.READER, 404, ok),
                new Endpoint("GET /v1/artifacts/{id}/manifest", request -> request.get("/v1/artifacts/{id}/manifest",
                        fixture.artifactId()), ProjectRole.READER, 404, ok),
                new Endpoint("POST /v1/artifacts/{id}/replicas/{replicaId}/verification", request -> request
                        .post("/v1/artifacts/{id}/replicas/{replicaId}/verification", fixture.artifactId(), fixture.replicaId()),
                        ProjectRole.WRITER, 404, accepted),
                new Endpoint("POST /v1/events", request -> request.contentType("application/cloudevents+json")
                        .body(event(fixture.run(), "event-" + UUID.randomUUID(), fixture.sourceDirectory()))
                        .post("/v1/events"), ProjectRole.WRITER, 403, accepted),
                new Endpoint("POST /v1/policies", request -> request.contentType(ContentType.JSON).body(policy())
                        .post("/v1/policies"), ProjectRole.ADMIN, 403, Set.of(201)),
                new Endpoint("GET /v1/policies?project=", request -> request.queryParam("project", PROJECT).get("/v1/policies"),
                        ProjectRole.READER, 403, ok),
                new Endpoint("GET /v1/policies/{id}", request -> request.get("/v1/policies/{id}", fixture.policyId()),
                        ProjectRole.READER, 404, ok),
                new Endpoint("DELETE /v1/policies/{id}", request -> request.delete("/v1/policies/{id}", policyToDelete()),
                        ProjectRole.ADMIN, 404, Set.of(204)),
                new Endpoint("POST /v1/tokens", request -> request.contentType(ContentType.JSON)
                        .body(Map.of("name", "ci-" + UUID.randomUUID(), "projects", Map.of(PROJECT, "reader")))
                        .post("/v1/tokens"), ProjectRole.ADMIN, 403, Set.of(201)),
                new Endpoint("DELETE /v1/tokens/{id}", request -> request.delete("/v1/tokens/{id}", tokenToRevoke()),
                        ProjectRole.ADMIN, 404, 404, Set.of(204)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEndpoint")
    void withoutATokenEveryEndpointIs401(Endpoint endpoint) {
        endpoint.call().apply(anonymousGateway()).then()
                .statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .contentType("application/problem+json");
        endpoint.call().apply(gatewayAs(tokens().sign("llm-admin", Map.of(PROJECT, ProjectRole.ADMIN)) + "x")).then()
                .statusCode(401);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEndpoint")
    void anotherProjectsAdminIsRefusedOrDoesNotSeeTheResource(Endpoint endpoint) {
        endpoint.call().apply(gatewayAs(otherProjectsAdmin)).then()
                .statusCode(endpoint.otherProject())
                .contentType("application/problem+json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEndpoint")
    void aRoleBelowTheOneNeededIsRefused(Endpoint endpoint) {
        if (endpoint.needs() == ProjectRole.READER) {
            return;
        }
        String lower = endpoint.needs() == ProjectRole.ADMIN ? writer : reader;
        endpoint.call().apply(gatewayAs(lower)).then()
                .statusCode(endpoint.belowNeeded())
                .contentType("application/problem+json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEndpoint")
    void theRoleNeededSucceeds(Endpoint endpoint) {
        String token = switch (endpoint.needs()) {
            case READER -> reader;
            case WRITER -> writer;
            case ADMIN -> admin;
        };
        assertThat(endpoint.call().apply(gatewayAs(token)).then().extract().statusCode()).isIn(endpoint.succeeded());
    }

    @Test
    void listingTokensShowsOnlyThoseOfProjectsTheCallerAdministersAndNeverASecret() {
        anonymousGateway().get("/v1/tokens").then().statusCode(401).header("WWW-Authenticate", startsWith("Bearer"));
        String secret = issue("listed-" + UUID.randomUUID()).getString("token");

        String listed = gatewayAs(admin).get("/v1/tokens").then().statusCode(200).extract().asString();
        String listedToOthers = gatewayAs(otherProjectsAdmin).get("/v1/tokens").then().statusCode(200).extract().asString();

        assertThat(listed).contains("\"llm\"").doesNotContain(secret);
        assertThat(JsonPath.from(listedToOthers).<Map<String, String>>getList("projects")).noneMatch(projects -> projects.containsKey(PROJECT));
        gatewayAs(reader).get("/v1/tokens").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void anApiTokenWorksForItsProjectOnlyAndIsRefusedAtOnceWhenRevoked() {
        JsonPath issued = issue("job-" + UUID.randomUUID());
        String apiToken = issued.getString("token");
        assertThat(apiToken).matches("roam_[A-Za-z0-9_-]{43}");

        gatewayAs(apiToken).get("/v1/artifacts/{id}", fixture.artifactId()).then().statusCode(200);
        gatewayAs(apiToken).queryParam("project", "vision").get("/v1/artifacts").then().statusCode(403);
        gatewayAs(apiToken).contentType(ContentType.JSON)
                .body(replication(fixture.run(), "copy-" + UUID.randomUUID(), fixture.sourceDirectory(),
                        STORAGE.resolve("replica-access").resolve(UUID.randomUUID().toString()) + "/"))
                .post("/v1/replications").then().statusCode(403);

        gatewayAs(admin).delete("/v1/tokens/{id}", issued.getString("details.id")).then().statusCode(204);

        gatewayAs(apiToken).get("/v1/artifacts/{id}", fixture.artifactId()).then()
                .statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void aForgedOrExpiredJwtIsRefused() {
        String forged = new io.roam.infrastructure.security.TokenIssuer(java.time.Duration.ofMinutes(5))
                .sign("llm-admin", Map.of("*", ProjectRole.ADMIN));
        gatewayAs(forged).get("/v1/artifacts/{id}", fixture.artifactId()).then().statusCode(401);
        gatewayAs(tokens().token("llm-admin").projects(Map.of(PROJECT, ProjectRole.ADMIN)).expired().sign())
                .get("/v1/artifacts/{id}", fixture.artifactId()).then().statusCode(401);
    }

    /** A reader-of-llm API token, issued by llm's admin: 201 with its details and the secret. */
    private static JsonPath issue(String name) {
        return gatewayAs(admin).contentType(ContentType.JSON)
                .body(Map.of("name", name, "projects", Map.of(PROJECT, "reader")))
                .post("/v1/tokens").then().statusCode(201)
                .body("details.name", equalTo(name))
                .body("details.createdBy", equalTo("llm-admin"))
                .extract().jsonPath();
    }

    private static String policyToDelete() {
        return RoamUnderTest.gateway().contentType(ContentType.JSON).body(policy())
                .post("/v1/policies").then().statusCode(201).extract().path("id");
    }

    private static String tokenToRevoke() {
        return issue("to-revoke-" + UUID.randomUUID()).getString("details.id");
    }

    private static Map<String, Object> replication(String run, String version, String source, String target) {
        return Map.of("project", PROJECT, "artifact", Map.of("kind", "checkpoint", "name", run, "version", version),
                "source", source, "targets", List.of(target));
    }

    private static Map<String, Object> policy() {
        return Map.of("project", PROJECT, "name", "policy-" + UUID.randomUUID(), "kinds", List.of("model"),
                "namePattern", "never-" + UUID.randomUUID(),
                "targets", List.of("file://" + STORAGE.resolve("policy-access") + "/{run}/{version}/"));
    }

    private static String event(String run, String id, String uri) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/training/" + run + "\",\"type\":\"roam.checkpoint.saved\","
                + "\"data\":{\"project\":\"" + PROJECT + "\",\"run\":\"" + run + "\",\"version\":\"" + id + "\",\"uri\":\"" + uri + "\"}}";
    }
}
