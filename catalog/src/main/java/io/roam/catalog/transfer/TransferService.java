package io.roam.catalog.transfer;

import io.roam.catalog.DatabaseTime;
import io.roam.catalog.artifact.ArtifactEntity;
import io.roam.catalog.artifact.ReplicaEntity;
import io.roam.contracts.catalog.ReplicaState;
import io.roam.contracts.catalog.TransferRegistration;
import io.roam.contracts.catalog.TransferState;
import io.roam.contracts.catalog.TransferView;
import io.roam.service.ConflictException;
import io.roam.service.InvalidRequestException;
import io.roam.service.ResourceNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.UUID;

/** Registers requested transfers and reads them back. */
@ApplicationScoped
public class TransferService {

    /**
     * Records a requested transfer and marks its target replica pending. Registering an id that is
     * already known returns the known transfer unchanged.
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
        TransferEntity transfer = new TransferEntity();
        transfer.id = registration.id();
        transfer.artifactId = registration.artifactId();
        transfer.purpose = registration.purpose();
        transfer.source = registration.source();
        transfer.target = registration.target();
        transfer.state = TransferState.REQUESTED;
        transfer.createdAt = DatabaseTime.now();
        transfer.updatedAt = transfer.createdAt;
        transfer.persist();

        ReplicaEntity replica = ReplicaEntity.findOrCreate(registration.artifactId(), registration.target(), ReplicaState.PENDING);
        replica.transferId = transfer.id;
        replica.moveTo(ReplicaState.PENDING, null);
        return toView(transfer);
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
        return new TransferView(transfer.id, transfer.artifactId, transfer.purpose, transfer.source, transfer.target,
                transfer.state, transfer.bytesDone, transfer.bytesTotal, transfer.filesDone, transfer.filesTotal,
                transfer.bytesPerSecond, transfer.error(), transfer.createdAt, transfer.updatedAt);
    }
}
