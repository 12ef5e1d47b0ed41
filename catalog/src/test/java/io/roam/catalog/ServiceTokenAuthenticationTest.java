package io.roam.catalog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Only a caller presenting a service token reaches the catalog's API; its operations endpoints stay open. */
@QuarkusTest
@TestProfile(CatalogTestResources.class)
class ServiceTokenAuthenticationTest {

    /** Every endpoint of the catalog's API; {@link #theTableNamesEveryEndpointOfTheApi} keeps it complete. */
    static List<Endpoint> everyEndpoint() {
        return List.of(
                new Endpoint("POST", "/v1/artifacts"),
                new Endpoint("GET", "/v1/artifacts"),
                new Endpoint("GET", "/v1/artifacts/latest"),
                new Endpoint("GET", "/v1/artifacts/{id}"),
                new Endpoint("GET", "/v1/artifacts/{id}/resolve"),
                new Endpoint("GET", "/v1/artifacts/{id}/replicas"),
                new Endpoint("GET", "/v1/artifacts/{id}/manifest"),
                new Endpoint("POST", "/v1/artifacts/{artifactId}/replicas/{replicaId}/verification"),
                new Endpoint("POST", "/v1/transfers"),
                new Endpoint("GET", "/v1/transfers/{id}"),
                new Endpoint("POST", "/v1/transfers/{id}/cancellation"),
                new Endpoint("POST", "/v1/policies"),
                new Endpoint("GET", "/v1/policies"),
                new Endpoint("GET", "/v1/policies/{id}"),
                new Endpoint("DELETE", "/v1/policies/{id}"),
                new Endpoint("GET", "/v1/policies/targets"),
                new Endpoint("POST", "/v1/tokens"),
                new Endpoint("GET", "/v1/tokens"),
                new Endpoint("GET", "/v1/tokens/{id}"),
                new Endpoint("DELETE", "/v1/tokens/{id}"),
                new Endpoint("POST", "/v1/tokens/introspection"));
    }

    private static final Set<String> HTTP_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    @Inject
    ObjectMapper objectMapper;

    @ConfigProperty(name = CatalogTestResources.SERVICE_TOKEN_KEY)
    String serviceToken;

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEndpoint")
    void everyEndpointRefusesARequestWithoutAToken(Endpoint endpoint) {
        assertUnauthorized(endpoint.call(given().auth().none()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEndpoint")
    void everyEndpointRefusesAnotherToken(Endpoint endpoint) {
        assertUnauthorized(endpoint.call(given().auth().oauth2("not-" + serviceToken)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEndpoint")
    void everyEndpointAnswersAServiceTokensRequest(Endpoint endpoint) {
        endpoint.call(given()).statusCode(not(equalTo(401)));
    }

    @Test
    void theTableNamesEveryEndpointOfTheApi() throws Exception {
        JsonNode document = objectMapper.readTree(given().auth().none().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200).extract().asString());
        Set<Endpoint> documented = new HashSet<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().stream()
                .map(operation -> operation.getKey().toUpperCase(Locale.ROOT))
                .filter(HTTP_METHODS::contains)
                .forEach(method -> documented.add(new Endpoint(method, path.getKey()))));

        assertThat(documented).containsExactlyInAnyOrderElementsOf(everyEndpoint());
    }

    @Test
    void theTokenIsAcceptedOnlyAsABearerCredentialInTheAuthorizationHeader() {
        assertUnauthorized(given().auth().none().header("Authorization", serviceToken).get("/v1/tokens").then());
        assertUnauthorized(given().auth().preemptive().basic("gateway", serviceToken).get("/v1/tokens").then());
        assertUnauthorized(given().auth().none().header("Authorization", "Bearer").get("/v1/tokens").then());
        assertUnauthorized(given().auth().none().header("Authorization", "Bearer " + serviceToken + " extra").get("/v1/tokens")
                .then());
        assertUnauthorized(given().auth().none().queryParam("access_token", serviceToken).get("/v1/tokens").then());
        // The scheme is case-insensitive (RFC 9110).
        given().auth().none().header("Authorization", "bearer " + serviceToken).get("/v1/tokens").then().statusCode(200);
    }

    @Test
    void anUnauthenticatedRequestLearnsNothingAboutPathsOrBodies() {
        assertUnauthorized(given().auth().none().get("/v1/no-such-endpoint").then());
        assertUnauthorized(given().auth().none().contentType(ContentType.JSON).body("{not json").post("/v1/artifacts").then());
    }

    @Test
    void theRefusalNeverQuotesThePresentedToken() {
        String presented = "roam_" + UUID.randomUUID();

        String body = given().auth().oauth2(presented).get("/v1/tokens").then().statusCode(401).extract().asString();

        assertThat(body).doesNotContain(presented).doesNotContain(serviceToken);
    }

    @Test
    void healthMetricsAndTheApiDescriptionNeedNoToken() {
        given().auth().none().get("/q/health").then().statusCode(200);
        given().auth().none().get("/q/health/ready").then().statusCode(200);
        given().auth().none().get("/q/metrics").then().statusCode(200);
        given().auth().none().get("/q/openapi").then().statusCode(200);
    }

    private static void assertUnauthorized(ValidatableResponse response) {
        response.statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .contentType("application/problem+json")
                .body("type", equalTo("urn:roam:problem:unauthorized"))
                .body("status", equalTo(401));
    }

    record Endpoint(String method, String path) {

        /** Calls the endpoint with a random UUID for each path parameter and, for writes, an empty JSON object. */
        ValidatableResponse call(RequestSpecification request) {
            String concretePath = List.of(path.split("/")).stream()
                    .map(segment -> segment.startsWith("{") ? UUID.randomUUID().toString() : segment)
                    .collect(Collectors.joining("/"));
            if (method.equals("POST")) {
                request = request.contentType(ContentType.JSON).body("{}");
            }
            return request.request(method, concretePath).then();
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }
}
