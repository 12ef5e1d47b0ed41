package io.roam.gateway.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.roam.contracts.security.ProjectRole;
import io.roam.gateway.GatewayTestProfile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Whatever a request's token is (valid, forged, an API token the catalog cannot check), no log line repeats it. */
@QuarkusTest
@TestProfile(GatewayTestProfile.class)
class TokensNeverLoggedTest {

    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {

        @Override
        public void publish(LogRecord record) {
            StringWriter line = new StringWriter();
            line.append(record instanceof ExtLogRecord extended ? extended.getFormattedMessage() : record.getMessage());
            if (record.getThrown() != null) {
                record.getThrown().printStackTrace(new PrintWriter(line));
            }
            logged.add(line.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureEveryLogLine() {
        capture.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void noTokenEndsUpInALogLine() {
        String valid = TestTokens.sign("alice", Map.of("llm", ProjectRole.WRITER));
        String forged = TestTokens.forged("mallory", Map.of("*", ProjectRole.ADMIN));
        String apiToken = "roam_" + "Z".repeat(43);
        for (String token : List.of(valid, forged, apiToken)) {
            given().header("Authorization", "Bearer " + token).get("/v1/artifacts?project=llm").then()
                    .statusCode(org.hamcrest.Matchers.oneOf(401, 503));
        }

        assertThat(logged).isNotEmpty();
        for (String token : List.of(valid, forged, apiToken)) {
            String signatureOrSecret = token.substring(token.lastIndexOf('.') + 1);
            assertThat(logged).noneMatch(line -> line.contains(token) || line.contains(signatureOrSecret));
        }
    }
}
