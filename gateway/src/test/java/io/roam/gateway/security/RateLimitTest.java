package io.roam.gateway.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.roam.contracts.security.ProjectRole;
import io.roam.gateway.GatewayTestProfile;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A caller that exceeds its rate limit is answered 429 with Retry-After, while other callers are not slowed. */
@QuarkusTest
@TestProfile(RateLimitTest.SmallBuckets.class)
class RateLimitTest {

    /** Buckets of 3 requests, refilled one every 20 s. */
    public static class SmallBuckets extends GatewayTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("roam.gateway.security.rate-limit.burst", "3");
            overrides.put("roam.gateway.security.rate-limit.requests-per-second", "0.05");
            return overrides;
        }
    }

    @Test
    void aCallerOverItsLimitGets429WithRetryAfterAndOthersDoNot() {
        String greedy = TestTokens.sign("greedy", Map.of("llm", ProjectRole.READER));
        for (int request = 0; request < 3; request++) {
            given().header("Authorization", "Bearer " + greedy).get("/v1/artifacts?project=llm").then().statusCode(not(equalTo(429)));
        }

        given().header("Authorization", "Bearer " + greedy).get("/v1/artifacts?project=llm").then()
                .statusCode(429)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:roam:problem:too-many-requests"))
                .header("Retry-After", equalTo("20"));

        given().header("Authorization", "Bearer " + TestTokens.sign("patient", Map.of("llm", ProjectRole.READER)))
                .get("/v1/artifacts?project=llm").then()
                .statusCode(not(equalTo(429)));
    }
}
