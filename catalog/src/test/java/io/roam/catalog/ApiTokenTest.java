package io.roam.catalog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.roam.catalog.security.TokenDigests;
import io.roam.contracts.security.ApiTokenView;
import io.roam.contracts.security.IssuedApiToken;
import io.roam.contracts.security.ProjectRole;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(CatalogTestResources.class)
class ApiTokenTest {

    private final String project = "project-" + UUID.randomUUID();

    @Inject
    AgroalDataSource database;

    @Test
    void anIssuedTokenIsValidUntilItIsRevoked() {
        Instant expiresAt = Instant.now().plus(Duration.ofDays(90)).truncatedTo(ChronoUnit.MICROS);

        IssuedApiToken issued = issue("ci", Map.of(project, ProjectRole.WRITER, "other-" + project, ProjectRole.READER), expiresAt)
                .then().statusCode(201).extract().as(IssuedApiToken.class);

        assertThat(issued.token()).matches("roam_[A-Za-z0-9_-]{43}");
        ApiTokenView details = issued.details();
        assertThat(details.name()).isEqualTo("ci");
        assertThat(details.projects()).isEqualTo(Map.of(project, ProjectRole.WRITER, "other-" + project, ProjectRole.READER));
        assertThat(details.createdBy()).isEqualTo("alice@lab");
        assertThat(details.expiresAt()).isEqualTo(expiresAt);
        assertThat(details.createdAt()).isBefore(expiresAt);
        assertThat(details.revokedAt()).isNull();
        assertThat(introspect(issued.token()).then().statusCode(200).extract().as(ApiTokenView.class)).isEqualTo(details);
        assertThat(given().get("/v1/tokens/{id}", details.id()).then().statusCode(200).extract().as(ApiTokenView.class))
                .isEqualTo(details);

        given().delete("/v1/tokens/{id}", details.id()).then().statusCode(204);

        introspect(issued.token()).then().statusCode(404).contentType("application/problem+json");
        assertThat(list(project)).doesNotContain(details);
        ApiTokenView revoked = given().get("/v1/tokens/{id}", details.id()).then().statusCode(200).extract().as(ApiTokenView.class);
        assertThat(revoked.revokedAt()).isNotNull();
        given().delete("/v1/tokens/{id}", details.id()).then().statusCode(204);
        assertThat(given().get("/v1/tokens/{id}", details.id()).then().extract().as(ApiTokenView.class).revokedAt())
                .as("revoking twice keeps the first revocation").isEqualTo(revoked.revokedAt());
    }

    @Test
    void listingShowsTheTokensNotRevokedNewestFirstAndNeverTheirSecrets() {
        ApiTokenView older = issueValid("older", Map.of(project, ProjectRole.ADMIN)).details();
        IssuedApiToken newer = issueValid("newer", Map.of(project, ProjectRole.READER, "*", ProjectRole.READER));
        ApiTokenView elsewhere = issueValid("elsewhere", Map.of("elsewhere-" + project, ProjectRole.ADMIN)).details();

        assertThat(list(project)).containsExactly(newer.details(), older);
        assertThat(list("elsewhere-" + project)).containsExactly(elsewhere);
        assertThat(list("*")).contains(newer.details()).doesNotContain(older, elsewhere);
        assertThat(given().get("/v1/tokens").then().statusCode(200).extract().as(ApiTokenView[].class))
                .contains(newer.details(), older, elsewhere);
        assertThat(given().get("/v1/tokens").then().extract().asString()).doesNotContain(newer.token());
        given().queryParam("project", "Not A Project").get("/v1/tokens").then().statusCode(400)
                .body("errors[0].field", equalTo("project"));
    }

    @Test
    void anExpiredTokenIsNoLongerValid() throws SQLException {
        IssuedApiToken issued = issueValid("short-lived", Map.of(project, ProjectRole.READER));
        introspect(issued.token()).then().statusCode(200);

        execute("update api_token set expires_at = now() - interval '1 second' where id = ?", issued.details().id());

        introspect(issued.token()).then().statusCode(404).contentType("application/problem+json");
        assertThat(list(project)).as("listed until revoked, so that it can be seen and cleaned up")
                .extracting(ApiTokenView::id).containsExactly(issued.details().id());
    }

    @Test
    void theCatalogStoresOnlyTheHashOfAToken() throws SQLException {
        IssuedApiToken issued = issueValid("stored", Map.of(project, ProjectRole.WRITER));
        String secret = issued.token().substring("roam_".length());

        String row = queryOne("select row_to_json(api_token)::text from api_token where id = ?", issued.details().id());
        String hash = queryOne("select token_sha256 from api_token where id = ?", issued.details().id());

        assertThat(row).doesNotContain(secret).doesNotContain(secret.substring(0, 16));
        assertThat(hash).isEqualTo(TokenDigests.sha256Hex(issued.token()));
    }

    @Test
    void anUnknownTokenOrIdIsNotFoundAndAMissingTokenIsInvalid() {
        String unknown = "roam_" + "A".repeat(43);

        String body = introspect(unknown).then().statusCode(404).contentType("application/problem+json").extract().asString();

        assertThat(body).doesNotContain(unknown);
        introspect("not a token at all").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{}").post("/v1/tokens/introspection").then().statusCode(400)
                .body("errors[0].field", equalTo("token"));
        given().get("/v1/tokens/{id}", UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        given().delete("/v1/tokens/{id}", UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void everyInvalidFieldOfARegistrationIsNamed() {
        Map<String, Object> grants = new HashMap<>();
        grants.put("Not A Project", "admin");
        grants.put(project, null);
        Map<String, Object> registration = new HashMap<>();
        registration.put("name", " ");
        registration.put("projects", grants);
        registration.put("expiresAt", Instant.now().minusSeconds(1).toString());
        registration.put("createdBy", "alice\nroot");

        given().contentType(ContentType.JSON).body(registration).post("/v1/tokens").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("name", "projects", "projects." + project, "expiresAt", "createdBy"))
                .body("errors.find { it.field == 'projects' }.message", containsString("'Not A Project' is neither * nor a project name"))
                .body("errors.find { it.field == 'expiresAt' }.message", containsString("in the future"))
                .body("errors.find { it.field == 'createdBy' }.message", containsString("printable"));

        given().contentType(ContentType.JSON)
                .body(Map.of("name", "n".repeat(101), "projects", Map.of(), "expiresAt", Instant.now().plus(Duration.ofDays(367)).toString()))
                .post("/v1/tokens").then()
                .statusCode(400)
                .body("errors.field", containsInAnyOrder("name", "projects", "expiresAt", "createdBy"))
                .body("errors.find { it.field == 'expiresAt' }.message", containsString("at most 366 days ahead"));

        given().contentType(ContentType.JSON)
                .body(Map.of("name", "n", "projects", Map.of(project, "owner"), "createdBy", "alice",
                        "expiresAt", Instant.now().plus(Duration.ofDays(1)).toString()))
                .post("/v1/tokens").then()
                .statusCode(400)
                .body("errors[0].field", equalTo("projects." + project))
                .body("errors[0].message", containsString("reader, writer or admin"));
    }

    @Test
    void noTokenSecretReachesTheLogs() {
        List<String> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = record instanceof ExtLogRecord extended ? extended.getFormattedMessage() : record.getMessage();
                synchronized (logged) {
                    logged.add(message + " " + (record.getThrown() == null ? "" : record.getThrown()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        String canary = "capturing the catalog's log " + UUID.randomUUID();
        IssuedApiToken issued;
        try {
            Logger.getLogger(ApiTokenTest.class.getName()).info(canary);
            issued = issueValid("logged", Map.of(project, ProjectRole.ADMIN));
            introspect(issued.token()).then().statusCode(200);
            assertThat(given().contentType(ContentType.JSON).body("{\"token\": \"" + issued.token() + "\", \"extra\": 1}")
                    .post("/v1/tokens/introspection").then().statusCode(400).extract().asString()).doesNotContain(issued.token());
            assertThat(given().contentType(ContentType.JSON).body("{\"token\": \"" + issued.token() + "\"")
                    .post("/v1/tokens/introspection").then().statusCode(400).extract().asString()).doesNotContain(issued.token());
            given().auth().oauth2(issued.token()).get("/v1/tokens").then().statusCode(401);
            given().delete("/v1/tokens/{id}", issued.details().id()).then().statusCode(204);
            introspect(issued.token()).then().statusCode(404);
        }
        finally {
            root.removeHandler(capture);
        }

        synchronized (logged) {
            assertThat(logged).as("the capture works").anyMatch(line -> line.contains(canary));
            assertThat(logged).noneMatch(line -> line.contains(issued.token().substring("roam_".length())));
        }
    }

    private IssuedApiToken issueValid(String name, Map<String, ProjectRole> projects) {
        return issue(name, projects, Instant.now().plus(Duration.ofDays(30))).then().statusCode(201).extract().as(IssuedApiToken.class);
    }

    private static Response issue(String name, Map<String, ProjectRole> projects, Instant expiresAt) {
        Map<String, String> grants = new HashMap<>();
        projects.forEach((project, role) -> grants.put(project, role.wireName()));
        return given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "projects", grants, "expiresAt", expiresAt.toString(), "createdBy", "alice@lab"))
                .post("/v1/tokens");
    }

    private static Response introspect(String token) {
        return given().contentType(ContentType.JSON).body(Map.of("token", token)).post("/v1/tokens/introspection");
    }

    private static List<ApiTokenView> list(String project) {
        return List.of(given().queryParam("project", project).get("/v1/tokens").then().statusCode(200)
                .extract().as(ApiTokenView[].class));
    }

    private void execute(String sql, UUID id) throws SQLException {
        try (Connection connection = database.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, id);
            statement.executeUpdate();
        }
    }

    private String queryOne(String sql, UUID id) throws SQLException {
        try (Connection connection = database.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, id);
            try (ResultSet result = statement.executeQuery()) {
                assertThat(result.next()).as("a row for %s", id).isTrue();
                return result.getString(1);
            }
        }
    }
}
