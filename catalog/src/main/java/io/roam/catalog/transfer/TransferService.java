package io.roam.catalog.transfer;

import io.roam.catalog.DatabaseTime;
import io.roam.catalog.artifact.ArtifactEntity;
import io.roam.catalog.artifact.Places;
import io.roam.catalog.artifact.ReplicaEntity;
import io.roam.contracts.catalog.ReplicaState;
import io.roam.contracts.catalog.TransferRegistration;
import io.roam.contracts.catalog.TransferState;
import io.roam.contracts.catalog.TransferView;
import io.roam.contracts.messages.ArtifactCoordinates;
import io.roam.contracts.messages.TransferPurpose;
import io.roam.contracts.messages.TransferRequest;
import io.roam.service.ConflictException;
import io.roam.service.InvalidRequestException;
import io.roam.service.ResourceNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.UUID;

/** Registers requested transfers, creates the catalog's own (deletions, verifications), and reads them back. */
@ApplicationScoped
public class TransferService {

    private final Places places;

    public TransferService(Places places) {
        this.places = places;
    }

    /**
     * Records a requested copy and marks its target replica pending. Registering an id that is already
     * known returns the known transfer unchanged.
     */
    @Transactional
    public TransferView register(TransferRegistration registration) {
        TransferEntity existing = TransferEntity.findById(registration.id());
        if (existing != null) {
            return toView(existing);
        }
        if (ArtifactEntity.findById(registration.artifactId()) == null) {
            throw new InvalidRequestException("artifactId", "no artifact has id " + registration.artifactId());
        }
        if (!registration.purpose().copies()) {
            throw new InvalidRequestException("purpose", "only copies are registered by clients; the catalog itself "
                    + "requests " + registration.purpose());
        }
        TransferEntity transfer = create(registration.id(), registration.artifactId(), registration.purpose(),
                registration.source(), registration.target(), registration.policyId());
        ReplicaEntity replica = ReplicaEntity.findOrCreate(registration.artifactId(), registration.target(),
                places.of(registration.target()), ReplicaState.PENDING);
        replica.transferId = transfer.id;
        replica.moveTo(ReplicaState.PENDING, null);
        return toView(transfer);
    }

    /**
     * Requests the deletion of a replica: it becomes {@link ReplicaState#DELETING} (no longer served) until
     * a worker reports every file at its location deleted.
     *
     * @return the request to publish once the transaction has committed
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public TransferRequest requestDeletion(ReplicaEntity replica, UUID policyId, String reason) {
        TransferEntity transfer = create(UUID.randomUUID(), replica.artifactId, TransferPurpose.DELETION, replica.location,
                replica.location, policyId);
        replica.moveTo(ReplicaState.DELETING, reason);
        return toRequest(transfer);
    }

    /**
     * Requests a worker to read every file of a replica again and report what it found, for the catalog
     * to compare with the manifest. The replica keeps its state meanwhile.
     *
     * @return the request to publish once the transaction has committed
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public TransferRequest requestVerification(ReplicaEntity replica) {
        return toRequest(create(UUID.randomUUID(), replica.artifactId, TransferPurpose.VERIFICATION, replica.location,
                replica.location, null));
    }

    private static TransferEntity create(UUID id, UUID artifactId, TransferPurpose purpose, String source, String target,
            UUID policyId) {
        TransferEntity transfer = new TransferEntity();
        transfer.id = id;
        transfer.artifactId = artifactId;
        transfer.purpose = purpose;
        transfer.source = source;
        transfer.target = target;
        transfer.policyId = policyId;
        transfer.state = TransferState.REQUESTED;
        transfer.createdAt = DatabaseTime.now();
        transfer.updatedAt = transfer.createdAt;
        transfer.persist();
        return transfer;
    }

    private static TransferRequest toRequest(TransferEntity transfer) {
        ArtifactEntity artifact = ArtifactEntity.findById(transfer.artifactId);
        return new TransferRequest(transfer.id, artifact.id,
                new ArtifactCoordinates(artifact.project, artifact.kind, artifact.name, artifact.version), transfer.purpose,
                transfer.source, transfer.target, transfer.createdAt);
    }

    /**
     * Marks a transfer cancelled, unless it has already ended; its target replica becomes FAILED. Events
     * that arrive for it afterwards change nothing, since CANCELLED is final. Cancelling a cancelled
     * transfer again returns it unchanged.
     *
     * @throws ConflictException when the transfer succeeded or failed before it could be cancelled
     */
    @Transactional
    public TransferView cancel(UUID id) {
        TransferEntity transfer = TransferEntity.findById(id);
        if (transfer == null) {
            throw new ResourceNotFoundException("no transfer has id " + id);
        }
        if (transfer.state == TransferState.CANCELLED) {
            return toView(transfer);
        }
        if (transfer.state.isFinal()) {
            throw new ConflictException("transfer " + id + " has already ended: " + transfer.state);
        }
        transfer.state = TransferState.CANCELLED;
        transfer.updatedAt = DatabaseTime.now();
        ReplicaEntity.findByLocation(transfer.artifactId, transfer.target)
                .filter(replica -> id.equals(replica.transferId))
                .ifPresent(replica -> replica.moveTo(ReplicaState.FAILED, "the transfer writing it was cancelled"));
        return toView(transfer);
    }

    @Transactional
    public TransferView view(UUID id) {
        TransferEntity transfer = TransferEntity.findById(id);
        if (transfer == null) {
            throw new ResourceNotFoundException("no transfer has id " + id);
        }
        return toView(transfer);
    }

    static TransferView toView(TransferEntity transfer) {
        ArtifactEntity artifact = ArtifactEntity.findById(transfer.artifactId);
        return new TransferView(transfer.id, transfer.artifactId, artifact.project, transfer.purpose, transfer.source, transfer.target,
                transfer.state, transfer.bytesDone, transfer.bytesTotal, transfer.filesDone, transfer.filesTotal,
                transfer.bytesPerSecond, transfer.bytesSkipped, transfer.bytesResumed, transfer.error(), transfer.createdAt,
                transfer.updatedAt);
    }
}
