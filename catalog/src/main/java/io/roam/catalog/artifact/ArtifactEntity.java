package io.roam.catalog.artifact;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.roam.contracts.messages.ArtifactKind;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** A logical artifact; its manifest summary is filled in by the first verified copy. */
@Entity
@Table(name = "artifact")
public class ArtifactEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    public String project;

    @Enumerated(EnumType.STRING)
    public ArtifactKind kind;

    public String name;

    public String version;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> labels = new HashMap<>();

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "manifest_digest_algorithm")
    public String manifestDigestAlgorithm;

    @Column(name = "manifest_digest")
    public String manifestDigest;

    @Column(name = "file_count")
    public Long fileCount;

    @Column(name = "total_bytes")
    public Long totalBytes;

    public static Optional<ArtifactEntity> findByCoordinates(String project, ArtifactKind kind, String name, String version) {
        return find("project = ?1 and kind = ?2 and name = ?3 and version = ?4", project, kind, name, version)
                .firstResultOptional();
    }

    public boolean hasManifest() {
        return manifestDigest != null;
    }
}
