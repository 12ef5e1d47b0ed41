package io.roam.catalog.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.util.List;
import java.util.Optional;

/** Who may call the catalog: the services holding a service token (the gateway). */
@ConfigMapping(prefix = "roam.catalog.security")
public interface SecurityConfiguration {

    /**
     * The SHA-256 (64 lowercase hex digits) of every service token the catalog accepts, comma-separated: several,
     * so that a token can be rotated (add the new hash, move the callers to the new token, remove the old hash).
     * Only hashes are configured, so the catalog's configuration holds nothing a caller could present. At least
     * one is required; in production from the environment variable
     * {@code ROAM_CATALOG_SECURITY_SERVICE_TOKEN_SHA256}.
     *
     * <p>Optional only so that {@link ServiceTokens} can report a missing value with what to set, instead of
     * the configuration's bare "is required".
     */
    @WithName("service-token-sha256")
    Optional<List<String>> serviceTokenSha256();
}
