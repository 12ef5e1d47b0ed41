package io.roam.catalog;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Sends the catalog's service token with every RestAssured request of every catalog test (registered in
 * {@code META-INF/services}), so that the tests of what the API does read as before; tests of authentication
 * override it per request.
 */
public class ServiceTokenForRestAssured implements QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        String serviceToken = ConfigProvider.getConfig().getValue(CatalogTestResources.SERVICE_TOKEN_KEY, String.class);
        RestAssured.authentication = RestAssured.oauth2(serviceToken);
    }
}
