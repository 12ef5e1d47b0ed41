package io.roam.catalog.events;

import io.roam.catalog.DatabaseTime;
import io.roam.catalog.artifact.ArtifactEntity;
import io.roam.catalog.artifact.ManifestDigest;
import io.roam.catalog.artifact.Places;
import io.roam.catalog.artifact.ReplicaEntity;
import io.roam.catalog.policy.RetentionService;
import io.roam.catalog.transfer.TransferEntity;
import io.roam.contracts.catalog.ReplicaState;
import io.roam.contracts.catalog.TransferState;
import io.roam.contracts.messages.ManifestEntry;
import io.roam.contracts.messages.TransferError;
import io.roam.contracts.messages.TransferEvent;
import io.roam.contracts.messages.TransferEventType;
import io.roam.contracts.messages.TransferRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Applies transfer events to the catalog with exactly-once effect: an event whose id was applied
 * before changes nothing, and nothing changes a transfer that has ended (late progress from a
 * redelivered request is ignored). A replica becomes {@link ReplicaState#AVAILABLE} only from a
 * worker's SUCCEEDED event, which the worker sends after verifying every written file, and only when the
 * manifest it reported in MANIFEST chunks before that event arrived complete.
 *
 * <p>What a SUCCEEDED event means depends on the transfer's purpose: a copy makes its target a verified
 * replica (and may trigger the retention of the policy that asked for it); a verification compares the
 * files found with the manifest and marks the replica verified again or {@link ReplicaState#STALE} with the
 * differences; a deletion marks the replica {@link ReplicaState#DELETED}. A copy that failed because its
 * source holds no files ({@code SOURCE_NOT_FOUND}) makes the replica recorded there {@link ReplicaState#STALE}.
 */
@ApplicationScoped
public class TransferEventApplier {

    private static final Logger LOG = Logger.getLogger(TransferEventApplier.class);
    private static final String NOT_FOUND = "NOT_FOUND";
    private static final String SOURCE_NOT_FOUND = "SOURCE_NOT_FOUND";

    private final EntityManager entityManager;
    private final TransferManifests manifests;
    private final RetentionService retention;
    private final Places places;

    public TransferEventApplier(EntityManager entityManager, TransferManifests manifests, RetentionService retention,
            Places places) {
        this.entityManager = entityManager;
        this.manifests = manifests;
        this.retention = retention;
        this.places = places;
    }

    /**
     * @return the transfers the catalog asks for as a consequence (deletions by retention), to publish
     *     once this transaction has committed; usually none
     * @throws UnknownTransferException when the event names a transfer the catalog never registered
     */
    @Transactional
    public List<TransferRequest> apply(TransferEvent event) {
        TransferEntity transfer = TransferEntity.findById(event.transferId());
        if (transfer == null || !transfer.artifactId.equals(event.artifactId())) {
            throw new UnknownTransferException(event);
        }
        if (!markProcessed(event)) {
            LOG.debugf("event %s of transfer %s was applied before", event.eventId(), event.transferId());
            return List.of();
        }
        if (transfer.state.isFinal()) {
            LOG.debugf("transfer %s has ended (%s); ignoring its %s event", transfer.id, transfer.state, event.type());
            return List.of();
        }
        return switch (transfer.purpose) {
            case REPLICATION, STAGING -> applyToCopy(transfer, event);
            case VERIFICATION -> {
                applyToVerification(transfer, event);
                yield List.of();
            }
            case DELETION -> {
                applyToDeletion(transfer, event);
                yield List.of();
            }
        };
    }

    private List<TransferRequest> applyToCopy(TransferEntity transfer, TransferEvent event) {
        ReplicaEntity target = ReplicaEntity.findOrCreate(transfer.artifactId, transfer.target, places.of(transfer.target),
                ReplicaState.PENDING);
        if (event.type() == TransferEventType.STARTED && event.copiedTo() != null) {
            target = relocate(transfer, target, event.copiedTo());
        }
        switch (event.type()) {
            case STARTED, PROGRESS -> {
                transfer.record(TransferState.RUNNING, event.progress());
                if (target.state != ReplicaState.COPYING) {
                    target.moveTo(ReplicaState.COPYING, null);
                }
            }
            case MANIFEST -> manifests.add(transfer.id, event.manifest());
            case SUCCEEDED -> {
                if (succeedCopy(transfer, target, event)) {
                    return retention.enforce(transfer);
                }
            }
            case FAILED -> {
                fail(transfer, event, event.error());
                target.moveTo(ReplicaState.FAILED, event.error().code() + ": " + event.error().message());
                if (SOURCE_NOT_FOUND.equals(event.error().code())) {
                    // Registered as available (a job announced it, or an earlier copy was read there), yet no
                    // file is there: no reader may be sent to it until a verification finds it whole.
                    ReplicaEntity.findByLocation(transfer.artifactId, transfer.source)
                            .filter(source -> source.state == ReplicaState.AVAILABLE)
                            .ifPresent(source -> source.moveTo(ReplicaState.STALE,
                                    "a copy from it found no files there: " + event.error().message()));
                }
            }
        }
        return List.of();
    }

    /**
     * Records the copy's replica where the worker copies to, when the request named that place otherwise: a
     * directory written without its {@code /} (else writing it with one would make a second replica of the same
     * files), or a directory that one file is copied into (else verifying or deleting the replica would read or
     * delete every other file there). From then on the transfer's target is that place. The replica registered under
     * the request's name for this transfer alone is removed; one that another transfer registered stays.
     */
    private ReplicaEntity relocate(TransferEntity transfer, ReplicaEntity requested, String copiedTo) {
        ReplicaEntity copied = ReplicaEntity.findOrCreate(transfer.artifactId, copiedTo, places.of(copiedTo), ReplicaState.PENDING);
        if (copied == requested) {
            return requested;
        }
        LOG.infof("transfer %s copies to %s, the place its target %s names", transfer.id, copiedTo, transfer.target);
        transfer.target = copiedTo;
        copied.transferId = transfer.id;
        if (requested.state == ReplicaState.PENDING && transfer.id.equals(requested.transferId)) {
            requested.delete();
        }
        return copied;
    }

    /** @return whether the target became a verified replica */
    private boolean succeedCopy(TransferEntity transfer, ReplicaEntity target, TransferEvent event) {
        Optional<String> manifestDigest = completeManifest(transfer, event);
        if (manifestDigest.isEmpty()) {
            target.moveTo(ReplicaState.FAILED, "the worker's manifest arrived incomplete");
            return false;
        }
        transfer.record(TransferState.SUCCEEDED, event.progress());
        ArtifactEntity artifact = ArtifactEntity.findById(transfer.artifactId);
        if (!artifact.hasManifest()) {
            recordManifest(artifact, transfer, manifestDigest.get());
        }
        manifests.drop(transfer.id);
        target.transferId = transfer.id;
        if (!manifestDigest.get().equals(artifact.manifestDigest)) {
            target.moveTo(ReplicaState.STALE, "the copied files differ from the artifact's manifest (manifest digest "
                    + manifestDigest.get() + ", recorded " + artifact.manifestDigest
                    + "): the source changed since it was first copied");
            return false;
        }
        Instant verifiedAt = DatabaseTime.of(event.occurredAt());
        markVerified(target, artifact.manifestDigest, verifiedAt);
        // The worker digested every byte of the source while copying it: the source is verified too.
        ReplicaEntity.findByLocation(transfer.artifactId, transfer.source)
                .filter(source -> source.state == ReplicaState.AVAILABLE)
                .ifPresent(source -> markVerified(source, artifact.manifestDigest, verifiedAt));
        return true;
    }

    private void applyToVerification(TransferEntity transfer, TransferEvent event) {
        Optional<ReplicaEntity> replica = ReplicaEntity.findByLocation(transfer.artifactId, transfer.target);
        switch (event.type()) {
            case STARTED, PROGRESS -> transfer.record(TransferState.RUNNING, event.progress());
            case MANIFEST -> manifests.add(transfer.id, event.manifest());
            case SUCCEEDED -> {
                Optional<String> manifestDigest = completeManifest(transfer, event);
                if (manifestDigest.isEmpty()) {
                    return;
                }
                transfer.record(TransferState.SUCCEEDED, event.progress());
                if (replica.isEmpty()) {
                    manifests.drop(transfer.id);
                    return;
                }
                ArtifactEntity artifact = ArtifactEntity.findById(transfer.artifactId);
                if (!artifact.hasManifest()) {
                    // Nothing was ever copied from this replica: what was read now is the manifest.
                    recordManifest(artifact, transfer, manifestDigest.get());
                }
                String differences = manifests.differences(transfer.id, artifact.id);
                manifests.drop(transfer.id);
                if (differences.isEmpty()) {
                    markVerified(replica.get(), artifact.manifestDigest, DatabaseTime.of(event.occurredAt()));
                }
                else {
                    replica.get().moveTo(ReplicaState.STALE, "the integrity audit found that " + differences);
                    LOG.warnf("replica %s of artifact %s is stale: %s", replica.get().location, artifact.id, differences);
                }
            }
            case FAILED -> {
                fail(transfer, event, event.error());
                if (NOT_FOUND.equals(event.error().code())) {
                    replica.ifPresent(stale -> stale.moveTo(ReplicaState.STALE,
                            "the integrity audit found no files there: " + event.error().message()));
                }
            }
        }
    }

    private void applyToDeletion(TransferEntity transfer, TransferEvent event) {
        Optional<ReplicaEntity> replica = ReplicaEntity.findByLocation(transfer.artifactId, transfer.target);
        switch (event.type()) {
            case STARTED, PROGRESS, MANIFEST -> transfer.record(TransferState.RUNNING, event.progress());
            case SUCCEEDED -> {
                transfer.record(TransferState.SUCCEEDED, event.progress());
                replica.ifPresent(deleted -> deleted.moveTo(ReplicaState.DELETED, deleted.stateReason));
            }
            case FAILED -> {
                fail(transfer, event, event.error());
                // Some files may be gone already: the copy can no longer be trusted.
                replica.ifPresent(stale -> stale.moveTo(ReplicaState.STALE,
                        "its deletion failed: " + event.error().code() + ": " + event.error().message()));
            }
        }
    }

    /**
     * The digest of the manifest the worker reported in MANIFEST events, when all of it arrived; when not,
     * the transfer has failed.
     */
    private Optional<String> completeManifest(TransferEntity transfer, TransferEvent event) {
        long received = manifests.count(transfer.id);
        if (received != event.manifestFiles()) {
            fail(transfer, event, new TransferError("MANIFEST_INCOMPLETE", "the worker reported " + event.manifestFiles()
                    + " manifest entries but " + received + " arrived", true));
            manifests.drop(transfer.id);
            return Optional.empty();
        }
        return Optional.of(ManifestDigest.of(manifests.entries(transfer.id)));
    }

    private static void fail(TransferEntity transfer, TransferEvent event, TransferError error) {
        transfer.record(TransferState.FAILED, event.progress());
        transfer.recordError(error);
    }

    private static void markVerified(ReplicaEntity replica, String manifestDigest, Instant verifiedAt) {
        replica.digestAlgorithm = ManifestDigest.ALGORITHM;
        replica.digest = manifestDigest;
        replica.verifiedAt = verifiedAt;
        replica.moveTo(ReplicaState.AVAILABLE, null);
    }

    private void recordManifest(ArtifactEntity artifact, TransferEntity transfer, String manifestDigest) {
        List<ManifestEntry> entries = manifests.entries(transfer.id);
        artifact.manifestDigestAlgorithm = ManifestDigest.ALGORITHM;
        artifact.manifestDigest = manifestDigest;
        artifact.fileCount = (long) entries.size();
        artifact.totalBytes = entries.stream().mapToLong(ManifestEntry::size).sum();
        manifests.copyToArtifact(transfer.id, artifact.id);
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
