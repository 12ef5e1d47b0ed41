package io.roam.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roam.contracts.messages.TransferCancellationRequest;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads every cancellation (each worker has a consumer group of its own) and cancels the transfer if
 * it runs here. An unreadable record is logged and skipped: it cancels nothing, and nothing else waits
 * for it.
 */
@ApplicationScoped
public class TransferCancellationConsumer {

    private static final Logger LOG = Logger.getLogger(TransferCancellationConsumer.class);

    private final ObjectMapper objectMapper;
    private final RunningTransfers runningTransfers;

    public TransferCancellationConsumer(ObjectMapper objectMapper, RunningTransfers runningTransfers) {
        this.objectMapper = objectMapper;
        this.runningTransfers = runningTransfers;
    }

    @Incoming("transfer-cancellations")
    public void consume(String payload) {
        try {
            TransferCancellationRequest request = objectMapper.readValue(payload, TransferCancellationRequest.class);
            runningTransfers.cancel(request.transferId());
            LOG.infof("cancellation of transfer %s received", request.transferId());
        }
        catch (JsonProcessingException | IllegalArgumentException | NullPointerException unreadable) {
            LOG.warnf("skipping a record that is not a transfer cancellation: %s", unreadable.getMessage());
        }
    }
}
