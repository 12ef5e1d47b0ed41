package io.roam.catalog.token;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.roam.contracts.security.ApiTokenView;
import io.roam.contracts.security.ProjectRole;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An issued API token, known only by the SHA-256 of its secret. Never edited, except to be revoked. */
@Entity
@Table(name = "api_token")
public class ApiTokenEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    public String name;

    /** Lowercase hex SHA-256 of the whole token ({@code roam_...}). */
    @Column(name = "token_sha256")
    public String tokenSha256;

    /** Project (or {@code *}) to the {@link ProjectRole#wireName() wire name} of its role. */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> projects;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    public static Optional<ApiTokenEntity> findByTokenSha256(String tokenSha256) {
        return find("tokenSha256", tokenSha256).firstResultOptional();
    }

    public boolean isValidAt(Instant instant) {
        return revokedAt == null && instant.isBefore(expiresAt);
    }

    public ApiTokenView toView() {
        Map<String, ProjectRole> roles = projects.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, grant -> ProjectRole.fromWireName(grant.getValue())));
        return new ApiTokenView(id, name, roles, createdBy, createdAt, expiresAt, revokedAt);
    }
}
