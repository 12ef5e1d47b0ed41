package io.roam.gateway.requests;

import io.roam.contracts.catalog.ArtifactRegistration;
import io.roam.contracts.catalog.ArtifactView;
import io.roam.contracts.catalog.TransferRegistration;
import io.roam.contracts.catalog.TransferState;
import io.roam.contracts.catalog.TransferView;
import io.roam.contracts.messages.TransferCancellationRequest;
import io.roam.contracts.messages.TransferRequest;
import io.roam.gateway.catalog.CatalogClient;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Turns a validated request into transfers: the catalog records the artifact, its source and every
 * transfer first (so their status can be asked for at once), then one request per target is published,
 * keyed by transfer id, and acknowledged by Kafka before the client hears 202.
 */
@ApplicationScoped
public class TransferRequestService {

    private static final Logger LOG = Logger.getLogger(TransferRequestService.class);

    private final CatalogClient catalog;
    private final MutinyEmitter<TransferRequest> transferRequests;
    private final MutinyEmitter<TransferCancellationRequest> transferCancellations;

    public TransferRequestService(@RestClient CatalogClient catalog,
            @Channel("transfer-requests") MutinyEmitter<TransferRequest> transferRequests,
            @Channel("transfer-cancellations") MutinyEmitter<TransferCancellationRequest> transferCancellations) {
        this.catalog = catalog;
        this.transferRequests = transferRequests;
        this.transferCancellations = transferCancellations;
    }

    /**
     * Cancels a transfer: the catalog records it as cancelled first (so no later event can revive it),
     * then every worker is told, and the one running it stops and aborts its writes in flight.
     */
    TransferView cancel(UUID transferId) {
        TransferView cancelled = catalog.cancelTransfer(transferId);
        transferCancellations.sendMessageAndAwait(Message.of(new TransferCancellationRequest(transferId, Instant.now()))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(transferId.toString()).build()));
        LOG.infof("transfer %s cancelled", transferId);
        return cancelled;
    }

    /**
     * Registers the artifact and every planned transfer, and publishes the requests of those still
     * {@code REQUESTED}: a transfer registered before (a redelivered training event) that a worker has
     * taken up already is not requested twice, while one whose request never got out is.
     */
    public TransfersAccepted submit(ValidatedTransferRequest request) {
        ArtifactView artifact = catalog.registerArtifact(new ArtifactRegistration(request.artifact().project(),
                request.artifact().kind(), request.artifact().name(), request.artifact().version(), request.labels(),
                request.source().toString()));
        Instant requestedAt = Instant.now();
        List<AcceptedTransfer> accepted = new ArrayList<>();
        for (PlannedTransfer planned : request.transfers()) {
            TransferView transfer = catalog.registerTransfer(new TransferRegistration(planned.id(), artifact.id(),
                    request.purpose(), request.source().toString(), planned.target().toString(), planned.policyId()));
            if (transfer.state() == TransferState.REQUESTED) {
                TransferRequest message = new TransferRequest(transfer.id(), artifact.id(), request.artifact(), request.purpose(),
                        transfer.source(), transfer.target(), requestedAt);
                transferRequests.sendMessageAndAwait(Message.of(message)
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(transfer.id().toString()).build()));
                LOG.infof("transfer %s requested: %s of artifact %s from %s to %s", transfer.id(), request.purpose(),
                        artifact.id(), transfer.source(), transfer.target());
            }
            accepted.add(new AcceptedTransfer(transfer.id(), transfer.target(), transfer.state()));
        }
        return new TransfersAccepted(artifact.id(), request.source().toString(), accepted);
    }
}
