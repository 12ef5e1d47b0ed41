package io.roam.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * deploy/sign-development-token signs the tokens that the docker-compose playground and the dev overlay accept:
 * verified here with the public key both give the gateway, with the issuer and audience they configure.
 */
class DevelopmentTokenTest {

    private static final Path SCRIPT = Repository.root().resolve("deploy/sign-development-token");
    private static final Path PUBLIC_KEY = Repository.root().resolve("deploy/overlays/dev/development-keys/jwt-public-key.pem");
    private static final ExternalCommand SIGN = new ExternalCommand(SCRIPT.toString(), "the script is part of the repository");

    @Test
    void signsAnAdministratorTokenForEveryProjectValidThirtyDaysByDefault() throws Exception {
        String[] parts = SIGN.output(Repository.root()).strip().split("\\.");

        assertThat(parts).hasSize(3);
        assertThat(verifies(parts)).as("RS256 signature checks with the development public key").isTrue();
        JsonNode claims = decode(parts[1]);
        assertThat(claims.path("iss").asText()).isEqualTo("roam-local");
        assertThat(claims.path("aud").asText()).isEqualTo("roam");
        assertThat(claims.path("projects").path("*").asText()).isEqualTo("admin");
        assertThat(Instant.ofEpochSecond(claims.path("exp").asLong()))
                .isCloseTo(Instant.now().plus(Duration.ofDays(30)), within(Duration.ofMinutes(5)));
    }

    @Test
    void signsTheProjectsAndLifetimeItIsGiven() throws Exception {
        String[] parts = SIGN.output(Repository.root(), "{\"llm\":\"writer\"}", "7").strip().split("\\.");

        assertThat(verifies(parts)).isTrue();
        JsonNode claims = decode(parts[1]);
        assertThat(claims.path("projects").properties()).hasSize(1);
        assertThat(claims.path("projects").path("llm").asText()).isEqualTo("writer");
        assertThat(Instant.ofEpochSecond(claims.path("exp").asLong()))
                .isCloseTo(Instant.now().plus(Duration.ofDays(7)), within(Duration.ofMinutes(5)));
    }

    private static boolean verifies(String[] parts) throws Exception {
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initVerify(publicKey());
        signature.update((parts[0] + "." + parts[1]).getBytes(US_ASCII));
        return signature.verify(Base64.getUrlDecoder().decode(parts[2]));
    }

    private static PublicKey publicKey() throws Exception {
        String pem = Files.readString(PUBLIC_KEY).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    private static JsonNode decode(String part) throws Exception {
        return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(part));
    }
}
