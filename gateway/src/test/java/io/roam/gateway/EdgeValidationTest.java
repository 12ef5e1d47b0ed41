package io.roam.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.UUID;
import java.util.stream.Stream;
import io.roam.gateway.security.AdminToken;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input is refused by the gateway itself, before any call to the catalog: the test profile has no
 * catalog, so a request that got through would be answered 503 instead of 400.
 */
@QuarkusTest
@TestProfile(GatewayTestProfile.class)
@ExtendWith(AdminToken.class)
class EdgeValidationTest {

    private static final String DATA = "{\"project\":\"llm\",\"run\":\"r\",\"version\":\"v\",\"uri\":\"file:///data/r/v/\"}";

    static Stream<Arguments> hostileReads() {
        return Stream.of(
                Arguments.of("/v1/artifacts?project=x%27%20OR%20%271%27%3D%271", "project"),
                Arguments.of("/v1/artifacts?project=llm%00", "project"),
                Arguments.of("/v1/artifacts?name=%24%7Bjndi%3Aldap%3A%2F%2Fevil%2Fa%7D", "name"),
                Arguments.of("/v1/artifacts/latest?project=..%2Fother&kind=checkpoint&name=r", "project"),
                Arguments.of("/v1/artifacts/" + UUID.randomUUID() + "/resolve?near=%3Bcat%20%2Fetc%2Fpasswd", "near"),
                Arguments.of("/v1/artifacts/" + UUID.randomUUID() + "/resolve", "near"),
                Arguments.of("/v1/policies?project=LLM%0D%0AX-Injected", "project"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileReads")
    void aHostileFilterIsRefusedWithoutAskingTheCatalog(String path, String field) {
        given().urlEncodingEnabled(false).get(path).then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem(field));
    }

    @Test
    void aKeyGivenTwiceIsRefusedBecauseParsersDisagreeOnWhichWins() {
        given().contentType(ContentType.JSON)
                .body("{\"project\":\"llm\",\"project\":\"other\",\"artifact\":{\"kind\":\"dataset\",\"name\":\"d\",\"version\":\"v\"},"
                        + "\"source\":\"file:///data/a/\",\"targets\":[\"file:///replica/a/\"]}")
                .post("/v1/replications").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("Duplicate field 'project'"));
    }

    @Test
    void aLabelWithoutAValueIsAnInvalidFieldNotAServerError() {
        given().contentType(ContentType.JSON)
                .body("{\"project\":\"llm\",\"artifact\":{\"kind\":\"dataset\",\"name\":\"d\",\"version\":\"v\",\"labels\":{\"a\":null}},"
                        + "\"source\":\"file:///data/a/\",\"targets\":[\"file:///replica/a/\"]}")
                .post("/v1/replications").then()
                .statusCode(400)
                .body("errors.field", hasItem("artifact.labels.a"));
    }

    @Test
    void aLabelKeyThatReadsAsAClimbingPathIsRefused() {
        given().contentType(ContentType.JSON)
                .body("{\"project\":\"llm\",\"artifact\":{\"kind\":\"dataset\",\"name\":\"d\",\"version\":\"v\",\"labels\":{\"a/../b\":\"x\"}},"
                        + "\"source\":\"file:///data/a/\",\"targets\":[\"file:///replica/a/\"]}")
                .post("/v1/replications").then()
                .statusCode(400)
                .body("errors.field", hasItem("artifact.labels"));
    }

    @Test
    void aCredentialInALocationIsRefusedAndNotRepeated() {
        String body = given().contentType(ContentType.JSON)
                .body("{\"project\":\"llm\",\"artifact\":{\"kind\":\"dataset\",\"name\":\"d\",\"version\":\"v\"},"
                        + "\"source\":\"file:///data/a/\",\"targets\":[\"s3://AKIAEXAMPLE:ROAM-FAKE-SECRET-x@bucket/a/\"]}")
                .post("/v1/replications").then()
                .statusCode(400)
                .body("errors.field", hasItem("targets[0]"))
                .extract().asString();
        assertThat(body).doesNotContain("ROAM-FAKE-SECRET").doesNotContain("AKIAEXAMPLE").contains("s3://***@bucket/a/");
    }

    @Test
    void aPolicyForAMalformedProjectOrNamePatternIsRefusedWithoutAskingTheCatalog() {
        given().contentType(ContentType.JSON)
                .body("{\"project\":\"llm'; DROP TABLE replication_policy; --\",\"name\":\"p\",\"kinds\":[\"checkpoint\"],"
                        + "\"namePattern\":\"' OR 1=1 --\",\"targets\":[\"file:///replica/{run}/\"]}")
                .post("/v1/policies").then()
                .statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("project", "namePattern"));
    }

    static Stream<Arguments> hostileEventAttributes() {
        return Stream.of(
                Arguments.of("ce-id", "a%0D%0AX-Forged: 1", "id", "must not contain control characters"),
                Arguments.of("ce-source", "/t%00", "source", "must not contain control characters"),
                Arguments.of("ce-subject", "s%0Aforged", "subject", "must not contain control characters"),
                Arguments.of("ce-id", "i".repeat(1025), "id", "at most 1024 characters"),
                Arguments.of("ce-time", "yesterday", "time", "RFC 3339"),
                Arguments.of("ce-type", "roam.x%0D%0Aforged", "type", "must not contain control characters"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("hostileEventAttributes")
    void aCloudEventsAttributeThatCouldForgeALogLineIsRefused(String header, String value, String field, String message) {
        given().contentType(ContentType.JSON)
                .header("ce-specversion", "1.0").header("ce-id", "event-1").header("ce-source", "/training/r")
                .header("ce-type", "roam.dataset.registered")
                .header(header, value)
                .body(DATA)
                .post("/v1/events").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem(field))
                .body("errors.message", hasItem(containsString(message)))
                .body(not(containsString("X-Forged")));
    }

    @Test
    void aStructuredEventWithAMalformedTimeIsRefused() {
        given().contentType("application/cloudevents+json")
                .body("{\"specversion\":\"1.0\",\"id\":\"e\",\"source\":\"/t\",\"type\":\"roam.dataset.registered\",\"time\":\"soon\","
                        + "\"data\":" + DATA + "}")
                .post("/v1/events").then()
                .statusCode(400)
                .body("errors.field", hasItem("time"))
                .body("status", equalTo(400));
    }
}
