package io.roam.catalog.artifact;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.List;
import java.util.UUID;

/** One file of an artifact's manifest. */
@Entity
@Table(name = "artifact_file")
@IdClass(ArtifactFileEntity.Key.class)
public class ArtifactFileEntity extends PanacheEntityBase {

    /** The composite primary key: artifact and path. */
    public record Key(UUID artifactId, String path) implements Serializable {
    }

    @Id
    @Column(name = "artifact_id")
    public UUID artifactId;

    @Id
    public String path;

    public long size;

    @Column(name = "digest_algorithm")
    public String digestAlgorithm;

    public String digest;

    public static List<ArtifactFileEntity> listByArtifact(UUID artifactId) {
        return list("artifactId = ?1 order by path", artifactId);
    }
}
