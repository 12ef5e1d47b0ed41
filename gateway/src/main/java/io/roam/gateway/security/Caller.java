package io.roam.gateway.security;

import static java.util.Objects.requireNonNull;

import io.roam.contracts.security.ProjectRole;
import io.roam.service.Names;
import java.util.Map;
import java.util.Optional;

/**
 * An authenticated caller of the gateway: who it is, what it may do in which project, and the key its requests are
 * counted under by the rate limit.
 *
 * @param name for audit records such as an API token's {@code createdBy}: a JWT's subject, or {@code api-token:<name>}
 * @param grants the role per project; the project {@value #EVERY_PROJECT} grants its role in every project
 * @param rateLimitKey the same for every request of one caller, never a secret
 */
public record Caller(String name, Map<String, ProjectRole> grants, Kind kind, String rateLimitKey) {

    /** The attribute of a Quarkus {@code SecurityIdentity} that holds its caller. */
    public static final String IDENTITY_ATTRIBUTE = "io.roam.gateway.security.caller";

    /** The project name of a grant in every project. */
    public static final String EVERY_PROJECT = Names.EVERY_PROJECT;

    /** How the caller authenticated. */
    public enum Kind {
        JWT,
        API_TOKEN
    }

    public Caller {
        requireNonNull(name, "name is null");
        requireNonNull(grants, "grants is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(rateLimitKey, "rateLimitKey is null");
        grants = Map.copyOf(grants);
    }

    /** The caller's role in {@code project}: the higher of its grant for that project and its grant in every project. */
    public Optional<ProjectRole> roleIn(String project) {
        requireNonNull(project, "project is null");
        ProjectRole own = grants.get(project);
        ProjectRole everywhere = grants.get(EVERY_PROJECT);
        if (own == null || everywhere == null) {
            return Optional.ofNullable(own != null ? own : everywhere);
        }
        return Optional.of(own.includes(everywhere) ? own : everywhere);
    }

    /** Whether the caller holds at least {@code role} in every project, that is by a {@value #EVERY_PROJECT} grant. */
    public boolean holdsEveryProject(ProjectRole role) {
        ProjectRole everywhere = grants.get(EVERY_PROJECT);
        return everywhere != null && everywhere.includes(role);
    }

    /** Whether the caller holds at least {@code role} in {@code project}; for {@value #EVERY_PROJECT}, in every project. */
    public boolean holds(String project, ProjectRole role) {
        return EVERY_PROJECT.equals(project) ? holdsEveryProject(role) : roleIn(project).filter(held -> held.includes(role)).isPresent();
    }
}
