package io.roam.catalog.events;

import io.roam.catalog.DatabaseTime;
import io.roam.catalog.artifact.ArtifactEntity;
import io.roam.catalog.artifact.ArtifactFileEntity;
import io.roam.catalog.artifact.ManifestDigest;
import io.roam.catalog.artifact.ReplicaEntity;
import io.roam.catalog.transfer.TransferEntity;
import io.roam.contracts.catalog.ReplicaState;
import io.roam.contracts.catalog.TransferState;
import io.roam.contracts.messages.ManifestEntry;
import io.roam.contracts.messages.TransferEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Applies transfer events to the catalog with exactly-once effect: an event whose id was applied
 * before changes nothing, and nothing changes a transfer that has ended (late progress from a
 * redelivered request is ignored). A replica becomes {@link ReplicaState#AVAILABLE} only from a
 * worker's SUCCEEDED event, which the worker sends after verifying every written file.
 */
@ApplicationScoped
public class TransferEventApplier {

    private static final Logger LOG = Logger.getLogger(TransferEventApplier.class);

    private final EntityManager entityManager;

    public TransferEventApplier(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * @return whether the event changed anything
     * @throws UnknownTransferException when the event names a transfer the catalog never registered
     */
    @Transactional
    public boolean apply(TransferEvent event) {
        TransferEntity transfer = TransferEntity.findById(event.transferId());
        if (transfer == null || !transfer.artifactId.equals(event.artifactId())) {
            throw new UnknownTransferException(event);
        }
        if (!markProcessed(event)) {
            LOG.debugf("event %s of transfer %s was applied before", event.eventId(), event.transferId());
            return false;
        }
        if (transfer.state.isFinal()) {
            LOG.debugf("transfer %s has ended (%s); ignoring its %s event", transfer.id, transfer.state, event.type());
            return false;
        }
        ReplicaEntity target = ReplicaEntity.findOrCreate(transfer.artifactId, transfer.target, ReplicaState.PENDING);
        switch (event.type()) {
            case STARTED, PROGRESS -> {
                transfer.record(TransferState.RUNNING, event.progress());
                if (target.state != ReplicaState.COPYING) {
                    target.moveTo(ReplicaState.COPYING, null);
                }
            }
            case SUCCEEDED -> succeed(transfer, target, event);
            case FAILED -> {
                transfer.record(TransferState.FAILED, event.progress());
                transfer.recordError(event.error());
                target.moveTo(ReplicaState.FAILED, event.error().code() + ": " + event.error().message());
            }
        }
        return true;
    }

    private void succeed(TransferEntity transfer, ReplicaEntity target, TransferEvent event) {
        transfer.record(TransferState.SUCCEEDED, event.progress());
        ArtifactEntity artifact = ArtifactEntity.findById(transfer.artifactId);
        String manifestDigest = ManifestDigest.of(event.manifest());
        if (!artifact.hasManifest()) {
            recordManifest(artifact, event.manifest(), manifestDigest);
        }
        Instant verifiedAt = DatabaseTime.of(event.occurredAt());
        if (manifestDigest.equals(artifact.manifestDigest)) {
            markVerified(target, manifestDigest, verifiedAt);
            // The worker digested every byte of the source while copying it: the source is verified too.
            ReplicaEntity.findByLocation(transfer.artifactId, transfer.source)
                    .ifPresent(source -> markVerified(source, manifestDigest, verifiedAt));
        }
        else {
            target.transferId = transfer.id;
            target.moveTo(ReplicaState.STALE, "the copied files differ from the artifact's manifest (manifest digest "
                    + manifestDigest + ", recorded " + artifact.manifestDigest + "): the source changed since it was first copied");
        }
    }

    private static void markVerified(ReplicaEntity replica, String manifestDigest, Instant verifiedAt) {
        replica.digestAlgorithm = ManifestDigest.ALGORITHM;
        replica.digest = manifestDigest;
        replica.verifiedAt = verifiedAt;
        replica.moveTo(ReplicaState.AVAILABLE, null);
    }

    private void recordManifest(ArtifactEntity artifact, List<ManifestEntry> manifest, String manifestDigest) {
        artifact.manifestDigestAlgorithm = ManifestDigest.ALGORITHM;
        artifact.manifestDigest = manifestDigest;
        artifact.fileCount = (long) manifest.size();
        artifact.totalBytes = manifest.stream().mapToLong(ManifestEntry::size).sum();
        for (ManifestEntry entry : manifest) {
            ArtifactFileEntity file = new ArtifactFileEntity();
            file.artifactId = artifact.id;
            file.path = entry.path();
            file.size = entry.size();
            file.digestAlgorithm = entry.digestAlgorithm();
            file.digest = entry.digest();
            file.persist();
        }
    }

    /** Records the event id; false when it was recorded before, by this or a concurrent delivery. */
    private boolean markProcessed(TransferEvent event) {
        int inserted = entityManager.createNativeQuery("""
                insert into processed_event (event_id, transfer_id, processed_at) values (?1, ?2, ?3)
                on conflict (event_id) do nothing""")
                .setParameter(1, event.eventId())
                .setParameter(2, event.transferId())
                .setParameter(3, DatabaseTime.now())
                .executeUpdate();
        return inserted == 1;
    }
}
