package io.roam.catalog.artifact;

import io.roam.catalog.DatabaseTime;
import io.roam.contracts.catalog.ArtifactRegistration;
import io.roam.contracts.catalog.ArtifactView;
import io.roam.contracts.catalog.ManifestView;
import io.roam.contracts.catalog.ReplicaState;
import io.roam.contracts.catalog.ReplicaView;
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

    private static ReplicaView toView(ReplicaEntity replica) {
        return new ReplicaView(replica.id, replica.location, replica.state, replica.digestAlgorithm, replica.digest,
                replica.verifiedAt, replica.transferId, replica.updatedAt);
    }
}
