package io.roam.contracts.security;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An API token as the catalog stores it: never the token itself, which is shown once when issued and
 * kept only as a hash. {@code revokedAt} is set once it was revoked.
 */
public record ApiTokenView(UUID id, String name, Map<String, ProjectRole> projects, String createdBy,
        Instant createdAt, Instant expiresAt, Instant revokedAt) {
}
