package io.roam.gateway.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.roam.contracts.security.ProjectRole;
import io.roam.gateway.GatewayTestProfile;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint but /q/* needs {@code Authorization: Bearer} with a valid JWT or API token; anything else is 401
 * with {@code WWW-Authenticate: Bearer} and a problem body that repeats no token and says nothing of why.
 */
@QuarkusTest
@TestProfile(GatewayTestProfile.class)
class AuthenticationTest {

    private static final Map<String, ProjectRole> LLM_WRITER = Map.of("llm", ProjectRole.WRITER);
    private static final String REPLICATION = "{\"project\":\"llm\",\"artifact\":{\"kind\":\"checkpoint\",\"name\":\"r\","
            + "\"version\":\"v\"},\"source\":\"file:///data/r/\",\"targets\":[\"file:///replica/r/\"]}";

    static Stream<Arguments> everyEndpoint() {
        UUID id = UUID.randomUUID();
        return Stream.of(
                Arguments.of("POST", "/v1/replications", REPLICATION),
                Arguments.of("POST", "/v1/stagings", "{}"),
                Arguments.of("GET", "/v1/transfers/" + id, null),
                Arguments.of("DELETE", "/v1/transfers/" + id, null),
                Arguments.of("GET", "/v1/artifacts?project=llm", null),
                Arguments.of("GET", "/v1/artifacts/latest?project=llm&kind=checkpoint&name=r", null),
                Arguments.of("GET", "/v1/artifacts/" + id, null),
                Arguments.of("GET", "/v1/artifacts/" + id + "/resolve?near=lab", null),
                Arguments.of("GET", "/v1/artifacts/" + id + "/replicas", null),
                Arguments.of("GET", "/v1/artifacts/" + id + "/manifest", null),
                Arguments.of("POST", "/v1/artifacts/" + id + "/replicas/" + UUID.randomUUID() + "/verification", null),
                Arguments.of("POST", "/v1/events", "{}"),
                Arguments.of("POST", "/v1/policies", "{}"),
                Arguments.of("GET", "/v1/policies?project=llm", null),
                Arguments.of("GET", "/v1/policies/" + id, null),
                Arguments.of("DELETE", "/v1/policies/" + id, null),
                Arguments.of("POST", "/v1/tokens", "{}"),
                Arguments.of("GET", "/v1/tokens", null),
                Arguments.of("DELETE", "/v1/tokens/" + id, null));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyEndpoint")
    void everyEndpointRefusesARequestWithoutAToken(String method, String path, String body) {
        RequestSpecification request = given().urlEncodingEnabled(false);
        if (body != null) {
            request.contentType(ContentType.JSON).body(body);
        }
        request.request(method, path).then()
                .statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .contentType("application/problem+json")
                .body("type", equalTo("urn:roam:problem:unauthorized"))
                .body("status", equalTo(401));
    }

    /** Made when the test runs, not when JUnit lists the cases: signing needs the key of the gateway started for it. */
    static Stream<Arguments> refusedCredentials() {
        return Stream.of(
                Arguments.of("an expired token", (Supplier<String>) () -> "Bearer " + TestTokens.expired("alice", LLM_WRITER)),
                Arguments.of("a token for another audience",
                        (Supplier<String>) () -> "Bearer " + TestTokens.withAudience("other-service", "alice", LLM_WRITER)),
                Arguments.of("a token of another issuer",
                        (Supplier<String>) () -> "Bearer " + TestTokens.withIssuer("https://evil.example", "alice", LLM_WRITER)),
                Arguments.of("a token signed with a foreign key",
                        (Supplier<String>) () -> "Bearer " + TestTokens.forged("alice", Map.of("*", ProjectRole.ADMIN))),
                Arguments.of("an unsigned token (alg none)",
                        (Supplier<String>) () -> "Bearer " + TestTokens.unsigned("alice", Map.of("*", ProjectRole.ADMIN))),
                Arguments.of("Basic credentials", (Supplier<String>) () -> "Basic YWxpY2U6c2VjcmV0"),
                Arguments.of("an empty bearer token", (Supplier<String>) () -> "Bearer "),
                Arguments.of("a token that is no JWT", (Supplier<String>) () -> "Bearer not-a-token"),
                Arguments.of("an API token of the wrong shape", (Supplier<String>) () -> "Bearer roam_short"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedCredentials")
    void aRequestWithAnInvalidCredentialIsRefused(String description, Supplier<String> authorizationHeader) {
        String authorization = authorizationHeader.get();
        String body = given().header("Authorization", authorization)
                .get("/v1/artifacts?project=llm").then()
                .statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .contentType("application/problem+json")
                .extract().asString();
        String credential = authorization.substring(authorization.indexOf(' ') + 1);
        if (!credential.isBlank()) {
            assertThat(body).doesNotContain(credential);
        }
    }

    @Test
    void aTokenInAQueryParameterIsNotReadSoItNeverLandsInAnAccessLog() {
        given().queryParam("access_token", TestTokens.admin()).queryParam("project", "llm")
                .get("/v1/artifacts").then()
                .statusCode(401);
    }

    @Test
    void twoAuthorizationHeadersAreRefused() {
        given().header("Authorization", "Bearer " + TestTokens.admin()).header("Authorization", "Basic YWxpY2U6c2VjcmV0")
                .get("/v1/artifacts?project=llm").then()
                .statusCode(401);
    }

    @Test
    void aTokenWhoseProjectsClaimIsNotAnObjectOfRolesIsRefused() {
        String token = io.smallrye.jwt.build.Jwt.issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE).subject("alice")
                .claim("projects", Map.of("llm", "owner")).expiresIn(300).sign();
        given().header("Authorization", "Bearer " + token)
                .get("/v1/artifacts?project=llm").then()
                .statusCode(401);
    }

    @Test
    void aValidTokenPassesAuthenticationAndReachesTheCatalog() {
        // No catalog listens in this test: 503 shows the request got past authentication and authorization.
        given().header("Authorization", "Bearer " + TestTokens.sign("alice", LLM_WRITER))
                .get("/v1/artifacts?project=llm").then()
                .statusCode(503)
                .body("type", equalTo("urn:roam:problem:catalog-unavailable"));
    }

    @Test
    void anApiTokenIsCheckedByTheCatalogSoAnUnreachableCatalogIs503NotA401() {
        String apiToken = "roam_" + "A".repeat(43);
        String body = given().header("Authorization", "Bearer " + apiToken)
                .get("/v1/artifacts?project=llm").then()
                .statusCode(503)
                .contentType("application/problem+json")
                .extract().asString();
        assertThat(body).doesNotContain(apiToken);
    }

    @Test
    void healthAndMetricsNeedNoToken() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }
}
