package io.roam.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.roam.contracts.messages.Topics;
import io.roam.infrastructure.testing.KafkaTestClient;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import io.roam.gateway.security.AdminToken;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every malformed request gets 400 with a problem body naming the field, and nothing is published. */
@QuarkusTest
@TestProfile(GatewayTestProfile.class)
@ExtendWith(AdminToken.class)
class BadRequestsTest {

    private static final String VALID_ARTIFACT = "{\"kind\":\"checkpoint\",\"name\":\"run-42\",\"version\":\"checkpoint-1000\"}";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    static Stream<Arguments> invalidReplications() {
        return Stream.of(
                Arguments.of("missing source", replication(null, "[\"file:///replica/a/\"]"), "source", "is required"),
                Arguments.of("missing targets", replication("\"file:///data/a/\"", null), "targets", "at least one target"),
                Arguments.of("empty targets", replication("\"file:///data/a/\"", "[]"), "targets", "at least one target"),
                Arguments.of("relative source path", replication("\"data/a/\"", "[\"file:///replica/a/\"]"), "source", "data/a/"),
                Arguments.of("dot-dot segment", replication("\"file:///data/../etc/\"", "[\"file:///replica/a/\"]"), "source", ".."),
                Arguments.of("encoded dot-dot", replication("\"file:///data/%2e%2e/etc/\"", "[\"file:///replica/a/\"]"), "source", "%2e%2e"),
                Arguments.of("unsupported scheme", replication("\"ftp://host/data/\"", "[\"file:///replica/a/\"]"), "source", "ftp"),
                Arguments.of("no profile serves the target", replication("\"file:///data/a/\"", "[\"file:///etc/roam/\"]"), "targets[0]",
                        "no storage profile serves 'file:///etc/roam/'"),
                Arguments.of("target inside the source", replication("\"file:///data/a/\"", "[\"file:///data/a/copy/\"]"), "targets[0]",
                        "overlaps the source"),
                Arguments.of("target is the source", replication("\"file:///data/a/\"", "[\"/data/a/\"]"), "targets[0]",
                        "is the source itself"),
                Arguments.of("duplicate target", replication("\"file:///data/a/\"", "[\"file:///replica/a/\",\"file:///replica/a/\"]"),
                        "targets[1]", "more than once"),
                Arguments.of("duplicate target of a directory, once without its slash",
                        replication("\"file:///data/a/\"", "[\"file:///replica/a/\",\"/replica/a\"]"), "targets[1]", "more than once"),
                Arguments.of("target of the wrong type", replication("\"file:///data/a/\"", "\"file:///replica/a/\""), "targets",
                        "Cannot"),
                Arguments.of("number as source", replication("42", "[\"file:///replica/a/\"]"), "source", "Cannot"),
                Arguments.of("unknown kind", "{\"project\":\"llm\",\"artifact\":{\"kind\":\"weights\",\"name\":\"r\",\"version\":\"v\"},"
                        + "\"source\":\"file:///data/a/\",\"targets\":[\"file:///replica/a/\"]}", "artifact.kind", "unknown artifact kind 'weights'"),
                Arguments.of("missing artifact", "{\"project\":\"llm\",\"source\":\"file:///data/a/\",\"targets\":[\"file:///replica/a/\"]}",
                        "artifact", "is required"),
                Arguments.of("project with a slash", "{\"project\":\"llm/other\",\"artifact\":" + VALID_ARTIFACT
                        + ",\"source\":\"file:///data/a/\",\"targets\":[\"file:///replica/a/\"]}", "project", "lowercase letters"),
                Arguments.of("unknown property", "{\"project\":\"llm\",\"artifact\":" + VALID_ARTIFACT
                        + ",\"source\":\"file:///data/a/\",\"targets\":[\"file:///replica/a/\"],\"endpoint\":\"http://evil\"}", "endpoint",
                        "is not a property"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidReplications")
    void anInvalidReplicationIsRejectedNamingTheField(String description, String body, String field, String message) {
        given().contentType(ContentType.JSON).body(body)
                .post("/v1/replications").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("instance", equalTo("/v1/replications"))
                .body("errors.field", hasItem(field))
                .body("errors.message", hasItem(containsString(message)));
    }

    @Test
    void malformedJsonIsRejectedAsSuch() {
        given().contentType(ContentType.JSON).body("{\"project\": \"llm\",")
                .post("/v1/replications").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:roam:problem:malformed-json"));
    }

    @Test
    void anEmptyBodyIsRejected() {
        given().contentType(ContentType.JSON)
                .post("/v1/stagings").then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void aStagingNeedsATarget() {
        given().contentType(ContentType.JSON)
                .body("{\"project\":\"vision\",\"artifact\":{\"kind\":\"dataset\",\"name\":\"imagenet\",\"version\":\"2012\"},"
                        + "\"source\":\"file:///data/imagenet/\"}")
                .post("/v1/stagings").then()
                .statusCode(400)
                .body("errors.field", hasItem("target"));
    }

    @Test
    void aStagingThatNamesNoSourceIsCheckedWhollyBeforeTheCatalogIsAskedForOne() {
        given().contentType(ContentType.JSON)
                .body("{\"project\":\"vision\",\"artifact\":{\"kind\":\"dataset\",\"name\":\"imagenet\"},\"target\":\"file:///etc/\"}")
                .post("/v1/stagings").then()
                .statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("artifact.version", "target"));
    }

    @Test
    void everyProblemOfARequestIsReportedAtOnce() {
        given().contentType(ContentType.JSON)
                .body("{\"project\":\"\",\"artifact\":{\"name\":\"run 42\",\"version\":\"\"},\"source\":\"s3://\",\"targets\":[\"../x\"]}")
                .post("/v1/replications").then()
                .statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("project", "artifact.kind", "artifact.name",
                        "artifact.version", "source", "targets[0]"));
    }

    @Test
    void rejectedRequestsPublishNothing() {
        String marker = "file:///data/" + UUID.randomUUID() + "/";
        given().contentType(ContentType.JSON).body(replication("\"" + marker + "\"", "[\"file:///etc/\"]"))
                .post("/v1/replications").then().statusCode(400);

        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            assertThat(kafka.records(Topics.TRANSFER_REQUESTS)).noneMatch(record -> record.value().contains(marker));
        }
    }

    @Test
    void readsAnswer503WhenTheCatalogIsUnreachable() {
        given().get("/v1/transfers/{id}", UUID.randomUUID()).then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:roam:problem:catalog-unavailable"));
    }

    @Test
    void aCancellationAnswers503WhenTheCatalogIsUnreachableAndTellsNoWorker() {
        UUID transferId = UUID.randomUUID();
        given().delete("/v1/transfers/{id}", transferId).then()
                .statusCode(503)
                .contentType("application/problem+json");

        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            assertThat(kafka.records(Topics.TRANSFER_CANCELLATIONS)).noneMatch(record -> transferId.toString().equals(record.key()));
        }
    }

    @Test
    void aMalformedIdIsNotFound() {
        given().get("/v1/transfers/not-a-uuid").then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    private static String replication(String source, String targets) {
        StringBuilder body = new StringBuilder("{\"project\":\"llm\",\"artifact\":").append(VALID_ARTIFACT);
        if (source != null) {
            body.append(",\"source\":").append(source);
        }
        if (targets != null) {
            body.append(",\"targets\":").append(targets);
        }
        return body.append('}').toString();
    }
}
