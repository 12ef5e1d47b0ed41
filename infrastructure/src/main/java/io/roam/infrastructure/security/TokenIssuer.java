package io.roam.infrastructure.security;

import static java.util.Objects.requireNonNull;

import io.roam.contracts.security.ProjectRole;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * Signs JSON Web Tokens the way an identity provider would, for the local run and the tests: RS256 with an RSA key
 * pair generated for this instance alone, issuer {@value #ISSUER}, audience {@value #AUDIENCE}, and the caller's
 * project grants as the {@value #PROJECTS_CLAIM} claim ({@code {"llm":"writer","*":"reader"}}). The gateway verifies
 * them with the public key {@link #writePublicKey(Path)} writes. Another instance has another key, so the tokens it
 * signs are forgeries to every service that trusts only this one.
 *
 * <p>The private key never leaves the instance; nothing here logs a token.
 */
public final class TokenIssuer {

    /** The {@code iss} of every token unless {@link Token#issuer(String)} says otherwise. */
    public static final String ISSUER = "roam-local";
    /** The {@code aud} of every token unless {@link Token#audience(String)} says otherwise. */
    public static final String AUDIENCE = "roam";
    /** The claim carrying the project grants. */
    public static final String PROJECTS_CLAIM = "projects";
    /** The project that stands for every project in a grant. */
    public static final String EVERY_PROJECT = "*";
    /** The name of the file {@link #writePublicKey(Path)} writes. */
    public static final String PUBLIC_KEY_FILE_NAME = "token-issuer-public-key.pem";

    private static final int RSA_KEY_BITS = 2048;
    /** An expired token ended this long ago: far beyond any verifier's allowed clock skew. */
    private static final Duration EXPIRED_FOR = Duration.ofHours(1);

    private final KeyPair keyPair;
    private final Duration lifetime;

    /**
     * A new issuer with its own key pair.
     *
     * @param lifetime how long the tokens it signs are valid, from the moment they are signed
     */
    public TokenIssuer(Duration lifetime) {
        requireNonNull(lifetime, "lifetime is null");
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("a token lifetime is positive, not " + lifetime);
        }
        this.lifetime = lifetime;
        this.keyPair = generateRsaKeyPair();
    }

    /** How long the tokens signed by {@link #sign} are valid. */
    public Duration lifetime() {
        return lifetime;
    }

    /** The public key that verifies this issuer's signatures. */
    public PublicKey publicKey() {
        return keyPair.getPublic();
    }

    /** The public key as PEM ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo). */
    public String publicKeyPem() {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keyPair.getPublic().getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n";
    }

    /**
     * Writes the public key as PEM to {@value #PUBLIC_KEY_FILE_NAME} in {@code directory}, created if missing,
     * replacing the file of an earlier issuer: what {@code mp.jwt.verify.publickey.location} names.
     *
     * @return the file written
     */
    public Path writePublicKey(Path directory) {
        requireNonNull(directory, "directory is null");
        Path file = directory.resolve(PUBLIC_KEY_FILE_NAME);
        try {
            Files.createDirectories(directory);
            Files.writeString(file, publicKeyPem(), StandardCharsets.US_ASCII);
            return file;
        }
        catch (IOException failure) {
            throw new UncheckedIOException("cannot write the token issuer's public key to " + file, failure);
        }
    }

    /**
     * A valid token: issuer {@value #ISSUER}, audience {@value #AUDIENCE}, expiring after {@link #lifetime()}.
     *
     * @param subject the caller's name ({@code sub})
     * @param projects the caller's role per project; {@value #EVERY_PROJECT} for every project
     * @return the compact serialization, {@code header.payload.signature}
     */
    public String sign(String subject, Map<String, ProjectRole> projects) {
        return token(subject).projects(projects).sign();
    }

    /** A token to shape before signing it, with the same defaults as {@link #sign} and no project grants yet. */
    public Token token(String subject) {
        return new Token(subject);
    }

    /**
     * One token being shaped; every method but {@link #sign()} and {@link #unsigned()} returns this token. The
     * variants exist so that tests can present every kind of token a verifier must refuse.
     */
    public final class Token {

        private final String subject;
        private final Map<String, Object> claims = new LinkedHashMap<>();
        private String issuer = ISSUER;
        private String audience = AUDIENCE;
        private Instant issuedAt;
        private Instant expiresAt;

        private Token(String subject) {
            this.subject = requireNonNull(subject, "subject is null");
            this.issuedAt = Instant.now();
            this.expiresAt = issuedAt.plus(lifetime);
        }

        /** Grants these roles ({@value #PROJECTS_CLAIM} claim), replacing any earlier grant. */
        public Token projects(Map<String, ProjectRole> projects) {
            requireNonNull(projects, "projects is null");
            Map<String, String> wireNames = new TreeMap<>();
            projects.forEach((project, role) -> wireNames.put(project, role.wireName()));
            return claim(PROJECTS_CLAIM, wireNames);
        }

        /** Another issuer ({@code iss}) than {@value #ISSUER}. */
        public Token issuer(String issuer) {
            this.issuer = requireNonNull(issuer, "issuer is null");
            return this;
        }

        /** Another audience ({@code aud}) than {@value #AUDIENCE}. */
        public Token audience(String audience) {
            this.audience = requireNonNull(audience, "audience is null");
            return this;
        }

        /** Another expiry ({@code exp}) than the issuer's lifetime from now. */
        public Token expiresAt(Instant expiresAt) {
            this.expiresAt = requireNonNull(expiresAt, "expiresAt is null");
            if (!issuedAt.isBefore(expiresAt)) {
                issuedAt = expiresAt.minus(lifetime);
            }
            return this;
        }

        /** Expired an hour ago, longer than any verifier's clock skew allowance. */
        public Token expired() {
            return expiresAt(Instant.now().minus(EXPIRED_FOR));
        }

        /**
         * Sets any claim, replacing an earlier value (also {@value #PROJECTS_CLAIM}, to present malformed grants).
         *
         * @param value a string, number, boolean, or a list or map of those
         */
        public Token claim(String name, Object value) {
            claims.put(requireNonNull(name, "name is null"), requireNonNull(value, "value is null"));
            return this;
        }

        /** Signed with the issuer's private key (RS256). */
        public String sign() {
            JsonWebSignature signature = signature();
            signature.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            signature.setKey(keyPair.getPrivate());
            return serialize(signature);
        }

        /** Not signed at all: algorithm {@code none} and an empty signature, which every verifier must refuse. */
        public String unsigned() {
            JsonWebSignature signature = signature();
            signature.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
            signature.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
            return serialize(signature);
        }

        private JsonWebSignature signature() {
            JwtClaims payload = new JwtClaims();
            payload.setIssuer(issuer);
            payload.setAudience(audience);
            payload.setSubject(subject);
            payload.setIssuedAt(NumericDate.fromSeconds(issuedAt.getEpochSecond()));
            payload.setExpirationTime(NumericDate.fromSeconds(expiresAt.getEpochSecond()));
            payload.setGeneratedJwtId();
            claims.forEach(payload::setClaim);
            JsonWebSignature signature = new JsonWebSignature();
            signature.setHeader("typ", "JWT");
            signature.setPayload(payload.toJson());
            return signature;
        }

        private static String serialize(JsonWebSignature signature) {
            try {
                return signature.getCompactSerialization();
            }
            catch (JoseException failure) {
                throw new IllegalStateException("cannot sign a token: " + failure.getMessage(), failure);
            }
        }
    }

    private static KeyPair generateRsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_KEY_BITS);
            return generator.generateKeyPair();
        }
        catch (NoSuchAlgorithmException failure) {
            throw new IllegalStateException("this JVM cannot generate RSA keys", failure);
        }
    }
}
