package io.roam.catalog.policy;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.roam.contracts.catalog.ReplicationPolicyView;
import io.roam.contracts.messages.ArtifactKind;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A stored replication policy. Policies are never edited, only created and deleted. */
@Entity
@Table(name = "replication_policy")
public class ReplicationPolicyEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    public String project;

    public String name;

    /** Comma-separated {@link ArtifactKind} names. */
    public String kinds;

    @Column(name = "name_pattern")
    public String namePattern;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> targets;

    @Column(name = "keep_last")
    public Integer keepLast;

    @Column(name = "created_at")
    public Instant createdAt;

    public List<ArtifactKind> kindList() {
        return Arrays.stream(kinds.split(",")).map(ArtifactKind::valueOf).toList();
    }

    public NamePattern pattern() {
        return new NamePattern(namePattern);
    }

    public List<TargetTemplate> templates() {
        return targets.stream().map(TargetTemplate::parse).toList();
    }

    public static List<ReplicationPolicyEntity> listByProject(String project) {
        return list("project = ?1 order by name", project);
    }

    public ReplicationPolicyView toView() {
        return new ReplicationPolicyView(id, project, name, kindList(), namePattern, List.copyOf(targets), keepLast, createdAt);
    }
}
