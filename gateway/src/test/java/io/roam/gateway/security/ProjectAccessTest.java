package io.roam.gateway.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.roam.contracts.security.ProjectRole;
import io.roam.gateway.GatewayTestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Requests that name their project are authorized before anything is recorded or published: 403 for a caller
 * without the role, or for a storage profile the project may not use. The test profile has no catalog, so a request
 * that passed every check is answered 503: that is the "allowed" outcome here (the end-to-end test sees the 2xx).
 */
@QuarkusTest
@TestProfile(GatewayTestProfile.class)
class ProjectAccessTest {

    private static final String ARTIFACT = "{\"kind\":\"checkpoint\",\"name\":\"run-1\",\"version\":\"step-10\"}";

    @Test
    void aWriterOfOneProjectMayNotReplicateForAnother() {
        as("alice", Map.of("llm", ProjectRole.WRITER))
                .body(replication("vision", "file:///data/a/", "file:///replica/a/"))
                .post("/v1/replications").then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:roam:problem:forbidden"))
                .body("detail", equalTo("the caller is not a writer of project 'vision'"));
    }

    @Test
    void aReaderMayNotReplicateOrStage() {
        as("bob", Map.of("llm", ProjectRole.READER))
                .body(replication("llm", "file:///data/a/", "file:///replica/a/"))
                .post("/v1/replications").then()
                .statusCode(403);
        as("bob", Map.of("llm", ProjectRole.READER))
                .body("{\"project\":\"llm\",\"artifact\":" + ARTIFACT + ",\"source\":\"file:///data/a/\",\"target\":\"/scratch/a/\"}")
                .post("/v1/stagings").then()
                .statusCode(403);
    }

    @Test
    void aStagingThatNamesNoSourceAsksTheCatalogForOneOnlyForAWriterOfTheProject() {
        String unsourced = "{\"project\":\"llm\",\"artifact\":" + ARTIFACT + ",\"target\":\"/scratch/a/\"}";
        as("bob", Map.of("llm", ProjectRole.READER))
                .body(unsourced)
                .post("/v1/stagings").then()
                .statusCode(403);
        as("alice", Map.of("llm", ProjectRole.WRITER))
                .body(unsourced)
                .post("/v1/stagings").then()
                .statusCode(503);
    }

    @Test
    void aWriterOfTheProjectGetsPastEveryCheck() {
        as("alice", Map.of("llm", ProjectRole.WRITER))
                .body(replication("llm", "file:///data/a/", "file:///replica/a/"))
                .post("/v1/replications").then()
                .statusCode(503);
    }

    @Test
    void aTargetInAProfileTheProjectMayNotWriteIsRefusedNamingProfileAndProject() {
        as("alice", Map.of("llm", ProjectRole.ADMIN))
                .body(replication("llm", "file:///data/a/", "file:///vision-only/a/"))
                .post("/v1/replications").then()
                .statusCode(403)
                .body("detail", equalTo("storage profile 'vision-only' may not be written by project 'llm'"));
    }

    @Test
    void aSourceInAProfileTheProjectMayNotReadIsRefused() {
        as("alice", Map.of("llm", ProjectRole.ADMIN))
                .body(replication("llm", "file:///vision-only/a/", "file:///replica/a/"))
                .post("/v1/replications").then()
                .statusCode(403)
                .body("detail", equalTo("storage profile 'vision-only' may not be read by project 'llm'"));
    }

    @Test
    void theProjectsAProfileListsMayUseIt() {
        as("carol", Map.of("vision", ProjectRole.WRITER))
                .body(replication("vision", "file:///vision-only/a/", "file:///replica/a/"))
                .post("/v1/replications").then()
                .statusCode(503);
    }

    @Test
    void listingArtifactsNeedsTheReaderRoleInTheProjectAndAProjectUnlessTheCallerMayReadEvery() {
        as("bob", Map.of("llm", ProjectRole.READER)).get("/v1/artifacts?project=vision").then().statusCode(403);
        as("bob", Map.of("llm", ProjectRole.READER)).get("/v1/artifacts").then()
                .statusCode(400)
                .body("errors.field", hasItem("project"));
        as("bob", Map.of("llm", ProjectRole.READER)).get("/v1/artifacts/latest?project=vision&kind=checkpoint&name=r").then()
                .statusCode(403);
        as("bob", Map.of("llm", ProjectRole.READER)).get("/v1/artifacts?project=llm").then().statusCode(503);
        as("operator", Map.of("*", ProjectRole.READER)).get("/v1/artifacts").then().statusCode(503);
    }

    @Test
    void policiesAreCreatedByAdminsOnlyAndTargetOnlyProfilesTheProjectMayWrite() {
        as("alice", Map.of("llm", ProjectRole.WRITER)).body(policy("llm", "file:///replica/{run}/{version}/"))
                .post("/v1/policies").then()
                .statusCode(403)
                .body("detail", equalTo("the caller is not an admin of project 'llm'"));
        as("alice", Map.of("llm", ProjectRole.ADMIN)).body(policy("llm", "file:///vision-only/{run}/{version}/"))
                .post("/v1/policies").then()
                .statusCode(403)
                .body("detail", containsString("storage profile 'vision-only' may not be written by project 'llm'"));
        as("alice", Map.of("llm", ProjectRole.ADMIN)).body(policy("llm", "file:///replica/{project}/{run}/{version}/"))
                .post("/v1/policies").then()
                .statusCode(503);
        as("bob", Map.of("llm", ProjectRole.READER)).get("/v1/policies?project=vision").then().statusCode(403);
        as("bob", Map.of("llm", ProjectRole.READER)).get("/v1/policies").then().statusCode(400);
    }

    @Test
    void aTrainingEventOverHttpNeedsTheWriterRoleInItsProjectAndASourceItMayRead() {
        as("bob", Map.of("llm", ProjectRole.READER)).contentType("application/cloudevents+json").body(event("llm", "file:///data/r/v/"))
                .post("/v1/events").then()
                .statusCode(403);
        as("alice", Map.of("llm", ProjectRole.WRITER)).contentType("application/cloudevents+json").body(event("vision", "file:///data/r/v/"))
                .post("/v1/events").then()
                .statusCode(403);
        as("alice", Map.of("llm", ProjectRole.WRITER)).contentType("application/cloudevents+json").body(event("llm", "file:///vision-only/r/v/"))
                .post("/v1/events").then()
                .statusCode(403)
                .body("detail", equalTo("storage profile 'vision-only' may not be read by project 'llm'"));
        as("alice", Map.of("llm", ProjectRole.WRITER)).contentType("application/cloudevents+json").body(event("llm", "file:///data/r/v/"))
                .post("/v1/events").then()
                .statusCode(503);
    }

    @Test
    void apiTokensAreIssuedOnlyByAnAdminOfEveryProjectTheyName() {
        as("alice", Map.of("llm", ProjectRole.WRITER)).body("{\"name\":\"ci\",\"projects\":{\"llm\":\"reader\"}}")
                .post("/v1/tokens").then()
                .statusCode(403);
        as("alice", Map.of("llm", ProjectRole.ADMIN)).body("{\"name\":\"ci\",\"projects\":{\"llm\":\"writer\",\"vision\":\"reader\"}}")
                .post("/v1/tokens").then()
                .statusCode(403)
                .body("detail", equalTo("the caller is not an admin of project 'vision'"));
        as("alice", Map.of("llm", ProjectRole.ADMIN)).body("{\"name\":\"ci\",\"projects\":{\"*\":\"reader\"}}")
                .post("/v1/tokens").then()
                .statusCode(403)
                .body("detail", equalTo("the caller is not an admin of every project"));
        as("alice", Map.of("llm", ProjectRole.ADMIN)).body("{\"name\":\"ci\",\"projects\":{\"llm\":\"writer\"}}")
                .post("/v1/tokens").then()
                .statusCode(503);
    }

    @Test
    void anApiTokenRequestIsValidatedFieldByField() {
        as("alice", Map.of("llm", ProjectRole.ADMIN))
                .body("{\"name\":\"\",\"projects\":{},\"expiresAt\":\"2020-01-01T00:00:00Z\"}")
                .post("/v1/tokens").then()
                .statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("name", "projects", "expiresAt"));
        as("alice", Map.of("llm", ProjectRole.ADMIN))
                .body("{\"name\":\"ci\",\"projects\":{\"llm\":\"writer\"},\"expiresAt\":\"2999-01-01T00:00:00Z\"}")
                .post("/v1/tokens").then()
                .statusCode(400)
                .body("errors.message", hasItem("must be at most 365 days ahead"));
        as("alice", Map.of("llm", ProjectRole.ADMIN))
                .body("{\"name\":\"ci\",\"projects\":{\"llm\":\"owner\"}}")
                .post("/v1/tokens").then()
                .statusCode(400);
    }

    private static RequestSpecification as(String subject, Map<String, ProjectRole> projects) {
        return given().header("Authorization", "Bearer " + TestTokens.sign(subject, projects)).contentType(ContentType.JSON);
    }

    private static String replication(String project, String source, String target) {
        return "{\"project\":\"" + project + "\",\"artifact\":" + ARTIFACT + ",\"source\":\"" + source + "\",\"targets\":[\""
                + target + "\"]}";
    }

    private static String policy(String project, String target) {
        return "{\"project\":\"" + project + "\",\"name\":\"p\",\"kinds\":[\"checkpoint\"],\"namePattern\":\"*\",\"targets\":[\""
                + target + "\"]}";
    }

    private static String event(String project, String uri) {
        return "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/training/r\",\"type\":\"roam.checkpoint.saved\","
                + "\"data\":{\"project\":\"" + project + "\",\"run\":\"r\",\"version\":\"v\",\"uri\":\"" + uri + "\"}}";
    }
}
