package io.roam.catalog.artifact;

import io.roam.catalog.DatabaseTime;
import io.roam.contracts.catalog.ArtifactRegistration;
import io.roam.contracts.catalog.ArtifactView;
import io.roam.contracts.catalog.ManifestPage;
import io.roam.contracts.catalog.ManifestView;
import io.roam.contracts.catalog.ReplicaState;
import io.roam.contracts.catalog.ReplicaView;
import io.roam.contracts.messages.ArtifactKind;
import io.roam.contracts.messages.ManifestEntry;
import io.roam.service.ResourceNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;
import org.hibernate.exception.ConstraintViolationException;

/** Registers artifacts and their source replicas, and reads them back. */
@ApplicationScoped
public class ArtifactService {

    private final EntityManager entityManager;

    public ArtifactService(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * Registers the artifact with these coordinates, or finds the one already registered, and records
     * the source as an available replica. Safe to call again with the same registration.
     */
    @Transactional
    public ArtifactEntity register(ArtifactRegistration registration) {
        ArtifactEntity artifact = ArtifactEntity
                .findByCoordinates(registration.project(), registration.kind(), registration.name(), registration.version())
                .orElseGet(() -> create(registration));
        ReplicaEntity.findOrCreate(artifact.id, registration.source(), ReplicaState.AVAILABLE);
        return artifact;
    }

    private ArtifactEntity create(ArtifactRegistration registration) {
        ArtifactEntity artifact = new ArtifactEntity();
        artifact.id = UUID.randomUUID();
        artifact.project = registration.project();
        artifact.kind = registration.kind();
        artifact.name = registration.name();
        artifact.version = registration.version();
        artifact.createdAt = DatabaseTime.now();
        try {
            artifact.persist();
            entityManager.flush();
        }
        catch (ConstraintViolationException concurrentRegistration) {
            // Another request registered the same coordinates first; the caller retries and finds it.
            throw new ConcurrentRegistrationException(registration, concurrentRegistration);
        }
        return artifact;
    }

    @Transactional
    public ArtifactView view(UUID id) {
        ArtifactEntity artifact = ArtifactEntity.<ArtifactEntity>findByIdOptional(id)
                .orElseThrow(() -> new ResourceNotFoundException("no artifact has id " + id));
        List<ReplicaView> replicas = ReplicaEntity.listByArtifact(id).stream().map(ArtifactService::toView).toList();
        List<ManifestEntry> files = ArtifactFileEntity.listByArtifact(id).stream()
                .map(file -> new ManifestEntry(file.path, file.size, file.digestAlgorithm, file.digest))
                .toList();
        ManifestView manifest = new ManifestView(files.size(), files.stream().mapToLong(ManifestEntry::size).sum(), files);
        return new ArtifactView(artifact.id, artifact.project, artifact.kind, artifact.name, artifact.version,
                artifact.createdAt, replicas, manifest);
    }

    /** The newest version of a named artifact, by registration time. */
    @Transactional
    public ArtifactView latest(String project, ArtifactKind kind, String name) {
        ArtifactEntity newest = ArtifactEntity.<ArtifactEntity>find("project = ?1 and kind = ?2 and name = ?3 order by createdAt desc, id",
                project, kind, name).firstResultOptional()
                .orElseThrow(() -> new ResourceNotFoundException("project " + project + " has no " + kind.wireName() + " named " + name));
        return view(newest.id);
    }

    @Transactional
    public List<ReplicaView> replicas(UUID id) {
        requireArtifact(id);
        return ReplicaEntity.listByArtifact(id).stream().map(ArtifactService::toView).toList();
    }

    /** Up to {@code limit} manifest entries whose paths sort after {@code after} (all when it is null). */
    @Transactional
    public ManifestPage manifest(UUID id, String after, int limit) {
        requireArtifact(id);
        List<ArtifactFileEntity> files = ArtifactFileEntity
                .<ArtifactFileEntity>find("artifactId = ?1 and path > ?2 order by path", id, after == null ? "" : after)
                .page(0, limit + 1).list();
        List<ManifestEntry> page = files.stream().limit(limit)
                .map(file -> new ManifestEntry(file.path, file.size, file.digestAlgorithm, file.digest))
                .toList();
        return new ManifestPage(page, files.size() > limit ? page.getLast().path() : null);
    }

    private static void requireArtifact(UUID id) {
        if (ArtifactEntity.findById(id) == null) {
            throw new ResourceNotFoundException("no artifact has id " + id);
        }
    }

    private static ReplicaView toView(ReplicaEntity replica) {
        return new ReplicaView(replica.id, replica.location, replica.state, replica.digestAlgorithm, replica.digest,
                replica.verifiedAt, replica.transferId, replica.updatedAt);
    }
}
