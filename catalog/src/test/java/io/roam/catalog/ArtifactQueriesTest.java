package io.roam.catalog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.roam.contracts.catalog.ArtifactPage;
import io.roam.contracts.catalog.ArtifactView;
import io.roam.contracts.catalog.ReplicaResolution;
import io.roam.contracts.catalog.ReplicaResolution.Nearness;
import io.roam.contracts.catalog.ReplicaView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(CatalogTestResources.class)
class ArtifactQueriesTest {

    private final String project = "project-" + UUID.randomUUID();

    @Test
    void artifactsAreListedNewestFirstAPageAtATimeWithEveryFilterApplied() {
        List<UUID> registered = new ArrayList<>();
        for (int step = 1; step <= 5; step++) {
            registered.add(register("checkpoint", "run-a", "checkpoint-" + step, Map.of("step", String.valueOf(step),
                    "parity", step % 2 == 0 ? "even" : "odd"), "file:///data/run-a/checkpoint-" + step + "/").id());
        }
        register("dataset", "tokens", "v1", Map.of(), "file:///data/tokens/v1/");

        List<UUID> listed = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            ArtifactPage page = list(Map.of("project", project, "kind", "checkpoint", "limit", "2"), cursor);
            page.artifacts().forEach(artifact -> listed.add(artifact.id()));
            cursor = page.next();
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(listed).containsExactlyElementsOf(registered.reversed());
        assertThat(list(Map.of("project", project, "label", "parity=even"), null).artifacts())
                .extracting(ArtifactView::version).containsExactly("checkpoint-4", "checkpoint-2");
        assertThat(list(Map.of("project", project, "name", "tokens"), null).artifacts())
                .singleElement().satisfies(dataset -> assertThat(dataset.labels()).isEmpty());
        assertThat(list(Map.of("project", project, "name", "run-a", "version", "checkpoint-3"), null).artifacts())
                .singleElement().satisfies(checkpoint -> assertThat(checkpoint.id()).isEqualTo(registered.get(2)));
        assertThat(list(Map.of("project", project, "version", "checkpoint-9"), null).artifacts()).isEmpty();
        assertThat(list(Map.of("project", project), null).artifacts()).hasSize(6);
        assertThat(list(Map.of("project", "no-such-project"), null).artifacts()).isEmpty();
    }

    @Test
    void labelsOfALaterRegistrationAreAddedWithoutReplacingTheFirstOnes() {
        register("checkpoint", "run-b", "checkpoint-1", Map.of("step", "1"), "file:///data/run-b/checkpoint-1/");
        ArtifactView again = register("checkpoint", "run-b", "checkpoint-1", Map.of("step", "999", "epoch", "3"),
                "file:///replica/run-b/checkpoint-1/");

        assertThat(again.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("step", "1", "epoch", "3"));
    }

    @Test
    void badListingParametersAreNamed() {
        given().queryParam("cursor", "not-a-cursor").queryParam("label", "no-equals-sign").queryParam("kind", "weights")
                .queryParam("limit", 0)
                .get("/v1/artifacts").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("label", "kind", "limit"));
        given().queryParam("cursor", "not-a-cursor").get("/v1/artifacts").then()
                .statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
    }

    @Test
    void resolvePicksTheSameProfileThenRegionThenCloudThenAny() {
        UUID id = register("checkpoint", "run-c", "checkpoint-1", Map.of(), "file:///data/run-c/checkpoint-1/").id();
        register("checkpoint", "run-c", "checkpoint-1", Map.of(), "s3://ckpt-east/run-c/checkpoint-1/");
        register("checkpoint", "run-c", "checkpoint-1", Map.of(), "abfs://ckpt-azure/run-c/checkpoint-1/");

        assertThat(resolve(id, "east")).satisfies(match("s3://ckpt-east/run-c/checkpoint-1/", Nearness.PROFILE));
        assertThat(resolve(id, "data")).satisfies(match("file:///data/run-c/checkpoint-1/", Nearness.PROFILE));
        // A profile of its own with no copy: a copy on the same cloud.
        assertThat(resolve(id, "west")).satisfies(match("s3://ckpt-east/run-c/checkpoint-1/", Nearness.CLOUD));
        // A region: a copy there, else one on the cloud all that region's profiles are on.
        assertThat(resolve(id, "eastus")).satisfies(match("abfs://ckpt-azure/run-c/checkpoint-1/", Nearness.REGION));
        assertThat(resolve(id, "us-west-2")).satisfies(match("s3://ckpt-east/run-c/checkpoint-1/", Nearness.CLOUD));
        assertThat(resolve(id, "lab-b")).satisfies(match("file:///data/run-c/checkpoint-1/", Nearness.CLOUD));
        assertThat(resolve(id, "somewhere-else").match()).isEqualTo(Nearness.ANY);

        ReplicaView placed = resolve(id, "east").replica();
        assertThat(placed.profile()).isEqualTo("east");
        assertThat(placed.region()).isEqualTo("us-east-1");
        assertThat(placed.cloud()).isEqualTo("aws");
    }

    @Test
    void resolveLeavesOutTheReplicaAtAPlaceItIsToldToHoweverThatPlaceIsWritten() {
        UUID id = register("dataset", "captions", "v2", Map.of(), "s3://ckpt-east/captions/v2/").id();
        register("dataset", "captions", "v2", Map.of(), "abfs://ckpt-azure/captions/v2/");

        ReplicaResolution other = given().queryParam("near", "east").queryParam("excluding", "S3://ckpt-east/captions/v2")
                .get("/v1/artifacts/{id}/resolve", id).then().statusCode(200).extract().as(ReplicaResolution.class);

        assertThat(other).satisfies(match("abfs://ckpt-azure/captions/v2/", Nearness.ANY));
        given().queryParam("near", "east").queryParam("excluding", "az://ckpt-azure/captions/v2/")
                .get("/v1/artifacts/{id}/resolve", id).then().statusCode(200)
                .body("replica.location", equalTo("s3://ckpt-east/captions/v2/"));
    }

    @Test
    void resolveLeavesOutAFileCopiedStraightIntoThePlaceItIsToldToLeaveOut() {
        UUID id = register("model", "tokenizer", "v1", Map.of(), "file:///data/models/tokenizer.json").id();
        register("model", "tokenizer", "v1", Map.of(), "s3://ckpt-east/models/tokenizer.json");

        given().queryParam("near", "east").queryParam("excluding", "s3://ckpt-east/models/")
                .get("/v1/artifacts/{id}/resolve", id).then().statusCode(200)
                .body("replica.location", equalTo("file:///data/models/tokenizer.json"));
    }

    @Test
    void resolveNeedsANearPlaceAndAnAvailableReplica() {
        given().get("/v1/artifacts/{id}/resolve", UUID.randomUUID()).then()
                .statusCode(400)
                .body("errors[0].field", equalTo("near"));
        given().queryParam("near", "east").get("/v1/artifacts/{id}/resolve", UUID.randomUUID()).then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    private static Consumer<ReplicaResolution> match(String location, Nearness nearness) {
        return resolution -> {
            assertThat(resolution.replica().location()).isEqualTo(location);
            assertThat(resolution.match()).isEqualTo(nearness);
        };
    }

    private static ReplicaResolution resolve(UUID id, String near) {
        return given().queryParam("near", near).get("/v1/artifacts/{id}/resolve", id).then().statusCode(200)
                .extract().as(ReplicaResolution.class);
    }

    private static ArtifactPage list(Map<String, String> parameters, String cursor) {
        var request = given().queryParams(parameters);
        if (cursor != null) {
            request.queryParam("cursor", cursor);
        }
        return request.get("/v1/artifacts").then().statusCode(200).extract().as(ArtifactPage.class);
    }

    private ArtifactView register(String kind, String name, String version, Map<String, String> labels, String source) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("project", project, "kind", kind, "name", name, "version", version, "labels", labels, "source", source))
                .post("/v1/artifacts").then().statusCode(200).extract().as(ArtifactView.class);
    }
}
