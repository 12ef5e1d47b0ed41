package io.roam.catalog.audit;

import io.quarkus.scheduler.Scheduled;
import io.roam.catalog.DatabaseTime;
import io.roam.catalog.artifact.ReplicaEntity;
import io.roam.catalog.transfer.TransferEntity;
import io.roam.catalog.transfer.TransferRequestPublisher;
import io.roam.catalog.transfer.TransferService;
import io.roam.contracts.catalog.ReplicaState;
import io.roam.contracts.catalog.TransferState;
import io.roam.contracts.catalog.TransferView;
import io.roam.contracts.messages.TransferPurpose;
import io.roam.contracts.messages.TransferRequest;
import io.roam.service.ConflictException;
import io.roam.service.ResourceNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Re-verifies replicas on a schedule: a worker reads every file of a replica again and reports what it
 * found; the catalog compares that with the manifest and marks a replica that no longer matches
 * {@link ReplicaState#STALE}, with the differences as the reason (see the event applier). Bytes are only
 * ever read by workers, which hold the storage credentials.
 */
@ApplicationScoped
public class IntegrityAudit {

    private static final Logger LOG = Logger.getLogger(IntegrityAudit.class);

    private final AuditConfiguration configuration;
    private final TransferService transfers;
    private final TransferRequestPublisher publisher;

    public IntegrityAudit(AuditConfiguration configuration, TransferService transfers, TransferRequestPublisher publisher) {
        this.configuration = configuration;
        this.transfers = transfers;
        this.publisher = publisher;
    }

    /** Requests the verification of the replicas due for one, a batch at a time. */
    @Scheduled(every = "${roam.catalog.audit.every:1h}", delayed = "${roam.catalog.audit.every:1h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void auditDueReplicas() {
        List<TransferRequest> requested = requestDueVerifications();
        publisher.publish(requested);
        if (!requested.isEmpty()) {
            LOG.infof("integrity audit: %d replicas to re-verify", requested.size());
        }
    }

    @Transactional
    List<TransferRequest> requestDueVerifications() {
        Instant dueBefore = DatabaseTime.now().minus(configuration.maximumAge());
        List<ReplicaEntity> due = ReplicaEntity.<ReplicaEntity>find(
                "state = ?1 and (verifiedAt is null or verifiedAt < ?2) order by verifiedAt nulls first, id",
                ReplicaState.AVAILABLE, dueBefore).list();
        List<TransferRequest> requests = new ArrayList<>();
        for (ReplicaEntity replica : due) {
            if (requests.size() == configuration.batchSize()) {
                break;
            }
            if (!verificationInFlight(replica, dueBefore)) {
                requests.add(transfers.requestVerification(replica));
            }
        }
        return requests;
    }

    /**
     * Re-verifies one replica now, whatever its age.
     *
     * @throws ConflictException when the replica is not available (there is nothing to verify)
     */
    public TransferView verifyNow(UUID artifactId, UUID replicaId) {
        TransferRequest request = requestVerification(artifactId, replicaId);
        publisher.publish(List.of(request));
        return transfers.view(request.transferId());
    }

    @Transactional
    TransferRequest requestVerification(UUID artifactId, UUID replicaId) {
        ReplicaEntity replica = ReplicaEntity.<ReplicaEntity>findByIdOptional(replicaId)
                .filter(found -> found.artifactId.equals(artifactId))
                .orElseThrow(() -> new ResourceNotFoundException("artifact " + artifactId + " has no replica " + replicaId));
        if (replica.state != ReplicaState.AVAILABLE && replica.state != ReplicaState.STALE) {
            throw new ConflictException("replica " + replicaId + " is " + replica.state + ": only available or stale replicas "
                    + "can be verified");
        }
        return transfers.requestVerification(replica);
    }

    /** A verification requested recently that has not ended; older ones are presumed lost and requested again. */
    private static boolean verificationInFlight(ReplicaEntity replica, Instant dueBefore) {
        return TransferEntity.count("artifactId = ?1 and target = ?2 and purpose = ?3 and state in (?4, ?5) and createdAt > ?6",
                replica.artifactId, replica.location, TransferPurpose.VERIFICATION, TransferState.REQUESTED, TransferState.RUNNING,
                dueBefore) > 0;
    }
}
