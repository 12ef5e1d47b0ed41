package io.roam.gateway.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.roam.gateway.GatewayTestProfile;
import io.roam.gateway.security.AdminToken;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A gateway of this release in front of a catalog of a later one, as during a rolling upgrade. */
@QuarkusTest
@TestProfile(CatalogVersionSkewTest.LaterCatalog.class)
@ExtendWith(AdminToken.class)
class CatalogVersionSkewTest {

    @Test
    void fieldsALaterCatalogAddsAreIgnoredRatherThanFailingTheRequest() {
        given().get("/v1/transfers/{id}", LaterCatalogTestResource.TRANSFER_ID).then()
                .statusCode(200)
                .body("state", equalTo("RUNNING"))
                .body("bytesDone", equalTo(1024))
                .body("$", not(hasKey("fieldOfALaterRelease")));
    }

    /** The gateway's test profile, with the catalog of a later release instead of an address where nothing listens. */
    public static class LaterCatalog extends GatewayTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.remove("quarkus.rest-client.catalog.url");
            return overrides;
        }

        @Override
        public List<QuarkusTestProfile.TestResourceEntry> testResources() {
            List<QuarkusTestProfile.TestResourceEntry> resources = new ArrayList<>(super.testResources());
            resources.add(new QuarkusTestProfile.TestResourceEntry(LaterCatalogTestResource.class));
            return resources;
        }
    }
}
