package io.roam.catalog.transfer;

import io.roam.contracts.messages.TransferRequest;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes the transfers the catalog asks for itself (retention deletions, audit verifications), keyed
 * by transfer id like every transfer request. Called after the transaction that recorded them has
 * committed, so a worker never reports on a transfer the catalog does not know.
 */
@ApplicationScoped
public class TransferRequestPublisher {

    private static final Logger LOG = Logger.getLogger(TransferRequestPublisher.class);

    private final MutinyEmitter<TransferRequest> requests;

    public TransferRequestPublisher(@Channel("transfer-requests") MutinyEmitter<TransferRequest> requests) {
        this.requests = requests;
    }

    public void publish(List<TransferRequest> transferRequests) {
        for (TransferRequest request : transferRequests) {
            requests.sendMessageAndAwait(Message.of(request)
                    .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(request.transferId().toString()).build()));
            LOG.infof("transfer %s requested: %s of %s", request.transferId(), request.purpose(), request.target());
        }
    }
}
