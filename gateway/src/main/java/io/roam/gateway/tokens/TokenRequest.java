package io.roam.gateway.tokens;

import io.roam.contracts.security.ProjectRole;
import java.time.Instant;
import java.util.Map;

/**
 * {@code POST /v1/tokens}: an API token for a training job or CI.
 *
 * @param name for people to tell tokens apart, such as {@code ci-llm}
 * @param projects the role per project; {@code *} is every project
 * @param expiresAt optional: {@code roam.gateway.security.api-token-lifetime} from now when absent, at most 365 days ahead
 */
public record TokenRequest(String name, Map<String, ProjectRole> projects, Instant expiresAt) {
}
