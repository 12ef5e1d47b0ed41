package io.roam.catalog.security;

import static java.util.Objects.requireNonNull;

import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The service tokens the catalog accepts, known only by their SHA-256. Created at startup, so that a catalog
 * without any accepted token, or with a malformed hash, refuses to start instead of refusing every request.
 */
@Singleton
@Startup
public class ServiceTokens {

    private static final String KEY = "roam.catalog.security.service-token-sha256";
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final List<byte[]> acceptedDigests;

    /**
     * @throws IllegalStateException when no hash is configured or one is not 64 lowercase hex digits; the message
     *     never quotes a configured value, in case a token was configured by mistake instead of its hash
     */
    public ServiceTokens(SecurityConfiguration configuration) {
        List<String> hashes = configuration.serviceTokenSha256().orElse(List.of()).stream()
                .map(String::strip).filter(hash -> !hash.isEmpty()).toList();
        if (hashes.isEmpty()) {
            throw new IllegalStateException("the catalog accepts no service token: set " + KEY
                    + " (environment variable ROAM_CATALOG_SECURITY_SERVICE_TOKEN_SHA256) to the SHA-256 of the gateway's "
                    + "service token, as 64 lowercase hex digits (sha256sum of the token without a newline); "
                    + "separate several with commas to rotate a token");
        }
        List<byte[]> digests = new ArrayList<>();
        for (int index = 0; index < hashes.size(); index++) {
            if (!SHA256_HEX.matcher(hashes.get(index)).matches()) {
                throw new IllegalStateException("entry " + (index + 1) + " of " + KEY
                        + " is not a SHA-256 as 64 lowercase hex digits; configure the hash of a service token, never the token");
            }
            digests.add(HexFormat.of().parseHex(hashes.get(index)));
        }
        this.acceptedDigests = List.copyOf(digests);
    }

    /**
     * Whether {@code token} is one of the accepted service tokens. Compares the token's SHA-256 with every accepted
     * one in constant time, without stopping at a match, so that the answer's timing tells nothing about the hashes.
     */
    public boolean accepts(String token) {
        requireNonNull(token, "token is null");
        byte[] digest = TokenDigests.sha256(token);
        boolean accepted = false;
        for (byte[] acceptedDigest : acceptedDigests) {
            accepted |= MessageDigest.isEqual(digest, acceptedDigest);
        }
        return accepted;
    }
}
