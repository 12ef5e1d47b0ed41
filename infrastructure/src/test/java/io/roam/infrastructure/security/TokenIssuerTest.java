package io.roam.infrastructure.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roam.contracts.security.ProjectRole;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verifies the issued tokens as the gateway does: with the PEM public key, the issuer and the audience. */
class TokenIssuerTest {

    private static final Duration LIFETIME = Duration.ofMinutes(30);

    private final TokenIssuer issuer = new TokenIssuer(LIFETIME);

    @TempDir
    Path directory;

    @Test
    void aSignedTokenCarriesSubjectIssuerAudienceLifetimeAndProjectGrantsAndVerifiesWithTheWrittenPublicKey() throws Exception {
        Instant before = Instant.now();

        String token = issuer.sign("ada", Map.of("llm", ProjectRole.WRITER, "vision", ProjectRole.READER));

        JwtClaims claims = verifier(readPem(issuer.writePublicKey(directory))).processToClaims(token);
        assertThat(claims.getSubject()).isEqualTo("ada");
        assertThat(claims.getIssuer()).isEqualTo("roam-local");
        assertThat(claims.getAudience()).containsExactly("roam");
        assertThat(claims.getClaimValue("projects")).isEqualTo(Map.of("llm", "writer", "vision", "reader"));
        assertThat(claims.getJwtId()).isNotBlank();
        assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue()).isEqualTo(LIFETIME.toSeconds());
        assertThat(claims.getIssuedAt().getValue()).isBetween(before.getEpochSecond(), Instant.now().getEpochSecond());
        assertThat(header(token)).contains("\"alg\":\"RS256\"");
    }

    @Test
    void thePublicKeyIsWrittenAsAPemFileNamedForTheIssuer() throws Exception {
        Path file = issuer.writePublicKey(directory.resolve("keys"));

        assertThat(file).isEqualTo(directory.resolve("keys").resolve(TokenIssuer.PUBLIC_KEY_FILE_NAME));
        assertThat(file).content(StandardCharsets.US_ASCII)
                .startsWith("-----BEGIN PUBLIC KEY-----\n")
                .endsWith("-----END PUBLIC KEY-----\n")
                .isEqualTo(issuer.publicKeyPem());
        assertThat(readPem(file)).isEqualTo(issuer.publicKey());
    }

    @Test
    void everyProjectIsGrantedWithTheWildcardProject() throws Exception {
        String token = issuer.sign("operator", Map.of(TokenIssuer.EVERY_PROJECT, ProjectRole.ADMIN));

        assertThat(verifier(issuer.publicKey()).processToClaims(token).getClaimValue("projects")).isEqualTo(Map.of("*", "admin"));
    }

    @Test
    void anExpiredTokenIsRefusedAsExpired() {
        String token = issuer.token("ada").projects(Map.of("llm", ProjectRole.WRITER)).expired().sign();

        assertThatThrownBy(() -> verifier(issuer.publicKey()).processToClaims(token))
                .isInstanceOfSatisfying(InvalidJwtException.class, refused -> assertThat(refused.hasExpired()).isTrue());
    }

    @Test
    void aTokenForAnotherAudienceOrFromAnotherIssuerIsRefused() {
        String otherAudience = issuer.token("ada").audience("someone-else").sign();
        String otherIssuer = issuer.token("ada").issuer("https://idp.example").sign();

        assertThatThrownBy(() -> verifier(issuer.publicKey()).processToClaims(otherAudience))
                .isInstanceOf(InvalidJwtException.class).hasMessageContaining("Audience");
        assertThatThrownBy(() -> verifier(issuer.publicKey()).processToClaims(otherIssuer))
                .isInstanceOf(InvalidJwtException.class).hasMessageContaining("Issuer");
    }

    @Test
    void aTokenSignedByAnotherIssuerInstanceIsAForgery() {
        TokenIssuer foreign = new TokenIssuer(LIFETIME);

        String forged = foreign.sign("mallory", Map.of("*", ProjectRole.ADMIN));

        assertThat(foreign.publicKey()).isNotEqualTo(issuer.publicKey());
        assertThatThrownBy(() -> verifier(issuer.publicKey()).processToClaims(forged))
                .isInstanceOf(InvalidJwtException.class).hasMessageContaining("signature");
    }

    @Test
    void anUnsignedTokenNamesAlgorithmNoneAndHasAnEmptySignature() {
        String token = issuer.token("mallory").projects(Map.of("*", ProjectRole.ADMIN)).unsigned();

        assertThat(token).endsWith(".");
        assertThat(token.split("\\.")).hasSize(2);
        assertThat(header(token)).contains("\"alg\":\"none\"");
        assertThatThrownBy(() -> verifier(issuer.publicKey()).processToClaims(token)).isInstanceOf(InvalidJwtException.class);
    }

    @Test
    void customClaimsAreSignedAndMayReplaceTheProjectGrants() throws Exception {
        String token = issuer.token("ada")
                .projects(Map.of("llm", ProjectRole.READER))
                .claim("projects", Map.of("llm", "owner"))
                .claim("groups", List.of("lab"))
                .sign();

        JwtClaims claims = verifier(issuer.publicKey()).processToClaims(token);
        assertThat(claims.getClaimValue("projects")).isEqualTo(Map.of("llm", "owner"));
        assertThat(claims.getStringListClaimValue("groups")).containsExactly("lab");
    }

    @Test
    void aChosenExpiryIsKept() throws Exception {
        Instant expiresAt = Instant.now().plus(Duration.ofDays(30));

        String token = issuer.token("developer").expiresAt(expiresAt).sign();

        assertThat(verifier(issuer.publicKey()).processToClaims(token).getExpirationTime().getValue())
                .isEqualTo(expiresAt.getEpochSecond());
    }

    @Test
    void aLifetimeIsPositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> new TokenIssuer(Duration.ZERO)).withMessageContaining("positive");
    }

    private static JwtConsumer verifier(PublicKey publicKey) {
        return new JwtConsumerBuilder()
                .setVerificationKey(publicKey)
                .setExpectedIssuer(TokenIssuer.ISSUER)
                .setExpectedAudience(TokenIssuer.AUDIENCE)
                .setRequireExpirationTime()
                .setRequireSubject()
                .build();
    }

    private static PublicKey readPem(Path file) throws Exception {
        String base64 = Files.readString(file, StandardCharsets.US_ASCII)
                .replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static String header(String token) {
        return new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8);
    }
}
