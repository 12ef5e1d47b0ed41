package io.roam.catalog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.roam.contracts.catalog.PolicyTarget;
import io.roam.contracts.catalog.ReplicationPolicyView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(CatalogTestResources.class)
class ReplicationPolicyTest {

    private final String project = "project-" + UUID.randomUUID();

    @Test
    void aPolicySendsEveryMatchingArtifactToEachOfItsTargets() {
        ReplicationPolicyView policy = create(policy("to-clouds", List.of("checkpoint", "model"), "llama-*",
                List.of("s3://ckpt-east/{project}/{run}/{version}/", "abfs://ckpt-azure/{run}/{kind}-{version}/"), 3))
                .then().statusCode(201).extract().as(ReplicationPolicyView.class);

        assertThat(targets("checkpoint", "llama-7b", "checkpoint-1000")).containsExactly(
                new PolicyTarget(policy.id(), "to-clouds", "s3://ckpt-east/" + project + "/llama-7b/checkpoint-1000/"),
                new PolicyTarget(policy.id(), "to-clouds", "abfs://ckpt-azure/llama-7b/checkpoint-checkpoint-1000/"));
        assertThat(targets("dataset", "llama-7b", "v1")).isEmpty();
        assertThat(targets("checkpoint", "mistral", "checkpoint-1")).isEmpty();
        assertThat(given().queryParam("project", project).get("/v1/policies").then().statusCode(200)
                .extract().as(ReplicationPolicyView[].class)).containsExactly(policy);
        assertThat(given().get("/v1/policies/{id}", policy.id()).then().statusCode(200)
                .extract().as(ReplicationPolicyView.class)).isEqualTo(policy);
    }

    @Test
    void aPolicyThatCouldCopyTheSameArtifactToTheSameTargetAsAnotherIsAConflict() {
        create(policy("checkpoints", List.of("checkpoint"), "llama-*", List.of("s3://ckpt-east/{run}/{version}/"), 2))
                .then().statusCode(201);

        create(policy("checkpoints", List.of("model"), "other", List.of("s3://ckpt-west/{run}/"), null)).then()
                .statusCode(409)
                .body("detail", containsString("already has a policy named 'checkpoints'"));
        create(policy("overlapping", List.of("checkpoint", "dataset"), "llama-7b*", List.of("s3://ckpt-east/{run}/{version}/"), 5))
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("conflicts with policy 'checkpoints'"))
                .body("detail", containsString("s3://ckpt-east/{run}/{version}/"));
        // Other names, other kinds or another target: no artifact can be claimed twice.
        create(policy("other-names", List.of("checkpoint"), "mistral-*", List.of("s3://ckpt-east/{run}/{version}/"), 1))
                .then().statusCode(201);
        create(policy("other-kind", List.of("model"), "*", List.of("s3://ckpt-east/{run}/{version}/"), 1)).then().statusCode(201);
        create(policy("other-target", List.of("checkpoint"), "*", List.of("s3://ckpt-west/{run}/{version}/"), 1))
                .then().statusCode(201);
    }

    @Test
    void everyInvalidFieldOfAPolicyIsNamed() {
        create(policy("", List.of(), "llama-*-7b", List.of("s3://ckpt-east/{run}/{step}/", "s3://ckpt-east/{run}/file",
                "s3://unserved-bucket/{run}/", "http://example.com/{run}/"), 0)).then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("name", "kinds", "namePattern", "targets[0]", "targets[1]",
                        "targets[2]", "targets[3]", "keepLast"))
                .body("errors.find { it.field == 'targets[0]' }.message", containsString("unknown placeholder {step}"))
                .body("errors.find { it.field == 'targets[1]' }.message", containsString("must be a directory"))
                .body("errors.find { it.field == 'targets[2]' }.message", containsString("no storage profile serves"));
        given().contentType(ContentType.JSON)
                .body(Map.of("project", project, "name", "x", "kinds", List.of("weights"), "namePattern", "*",
                        "targets", List.of("s3://ckpt-east/{run}/")))
                .post("/v1/policies").then()
                .statusCode(400)
                .body("errors[0].message", containsString("unknown artifact kind 'weights'"));
    }

    @Test
    void aBadProjectAndNamePatternAreReportedWithEveryOtherError() {
        given().contentType(ContentType.JSON)
                .body(Map.of("project", "Not A Project", "name", "", "kinds", List.of(), "namePattern", "llama 7b*",
                        "targets", List.of("s3://unserved-bucket/{run}/")))
                .post("/v1/policies").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("project", "name", "kinds", "namePattern", "targets[0]"))
                .body("errors.find { it.field == 'project' }.message", containsString("lowercase letters, digits"))
                .body("errors.find { it.field == 'namePattern' }.message",
                        containsString("'*', a name or a name's prefix followed by '*'"));
    }

    @Test
    void aDeletedPolicyIsGone() {
        ReplicationPolicyView policy = create(policy("short-lived", List.of("dataset"), "*", List.of("s3://ckpt-west/{run}/"), null))
                .then().statusCode(201).extract().as(ReplicationPolicyView.class);

        given().delete("/v1/policies/{id}", policy.id()).then().statusCode(204);

        given().get("/v1/policies/{id}", policy.id()).then().statusCode(404);
        assertThat(targets("dataset", "tokens", "v1")).isEmpty();
    }

    private List<PolicyTarget> targets(String kind, String name, String version) {
        return List.of(given().queryParam("project", project).queryParam("kind", kind).queryParam("name", name)
                .queryParam("version", version)
                .get("/v1/policies/targets").then().statusCode(200).extract().as(PolicyTarget[].class));
    }

    private Map<String, Object> policy(String name, List<String> kinds, String namePattern, List<String> targets, Integer keepLast) {
        Map<String, Object> policy = new HashMap<>(Map.of("project", project, "name", name, "kinds", kinds,
                "namePattern", namePattern, "targets", targets));
        if (keepLast != null) {
            policy.put("keepLast", keepLast);
        }
        return policy;
    }

    private static Response create(Map<String, Object> policy) {
        return given().contentType(ContentType.JSON).body(policy).post("/v1/policies");
    }
}
