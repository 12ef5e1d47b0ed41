package io.roam.gateway.security;

import io.roam.contracts.security.ProjectRole;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JWTs for tests of a gateway started with {@link JwtKeysTestResource}: valid ones (issuer {@code roam-local},
 * audience {@code roam}, signed with the resource's private key) and every kind the gateway must refuse.
 */
public final class TestTokens {

    public static final String ISSUER = "roam-local";
    public static final String AUDIENCE = "roam";

    private TestTokens() {
    }

    /** Every role in every project, as the local development token has. */
    public static String admin() {
        return sign("test-admin", Map.of("*", ProjectRole.ADMIN));
    }

    /** A valid token for {@code subject} with these project roles. */
    public static String sign(String subject, Map<String, ProjectRole> projects) {
        return claims(subject, projects).sign();
    }

    public static String expired(String subject, Map<String, ProjectRole> projects) {
        Instant now = Instant.now();
        return claims(subject, projects).issuedAt(now.minusSeconds(7200)).expiresAt(now.minusSeconds(3600)).sign();
    }

    public static String withAudience(String audience, String subject, Map<String, ProjectRole> projects) {
        return claims(subject, projects).audience(audience).sign();
    }

    public static String withIssuer(String issuer, String subject, Map<String, ProjectRole> projects) {
        return claims(subject, projects).issuer(issuer).sign();
    }

    /** Signed by a key the gateway does not know: a forgery. */
    public static String forged(String subject, Map<String, ProjectRole> projects) {
        return claims(subject, projects).sign(rsaKeyPair().getPrivate());
    }

    /** Unsigned ({@code "alg": "none"}), claiming everything. */
    public static String unsigned(String subject, Map<String, ProjectRole> projects) {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        long now = Instant.now().getEpochSecond();
        StringBuilder grants = new StringBuilder();
        projects.forEach((project, role) -> grants.append(grants.isEmpty() ? "" : ",")
                .append('"').append(project).append("\":\"").append(role.wireName()).append('"'));
        String payload = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"" + subject + "\",\"iat\":" + now
                + ",\"exp\":" + (now + 300) + ",\"projects\":{" + grants + "}}";
        return encoder.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + encoder.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".";
    }

    static KeyPair rsaKeyPair() {
        return JwtKeysTestResource.generate();
    }

    private static JwtClaimsBuilder claims(String subject, Map<String, ProjectRole> projects) {
        Map<String, String> grants = new LinkedHashMap<>();
        projects.forEach((project, role) -> grants.put(project, role.wireName()));
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(subject).claim("projects", grants).expiresIn(300);
    }
}
