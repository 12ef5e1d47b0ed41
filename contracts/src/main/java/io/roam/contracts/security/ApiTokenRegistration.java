package io.roam.contracts.security;

import java.time.Instant;
import java.util.Map;

/**
 * A long-lived API token to issue, as the gateway asks the catalog for one after checking that
 * {@code createdBy} administers every project in {@code projects}. The project {@code *} means every
 * project. {@code expiresAt} is required: no token lives forever.
 */
public record ApiTokenRegistration(String name, Map<String, ProjectRole> projects, Instant expiresAt, String createdBy) {
}
