package io.roam.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roam.contracts.messages.TransferRequest;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Takes transfer requests from the workers' consumer group, several at once on the {@code transfers}
 * worker pool. A record that is not a transfer request goes to the dead-letter topic with the reason
 * (the channel's failure strategy); it never blocks the partition.
 */
@ApplicationScoped
public class TransferRequestConsumer {

    private final ObjectMapper objectMapper;
    private final TransferExecutor executor;

    public TransferRequestConsumer(ObjectMapper objectMapper, TransferExecutor executor) {
        this.objectMapper = objectMapper;
        this.executor = executor;
    }

    @Incoming("transfer-requests")
    @Blocking(value = "transfers", ordered = false)
    public void consume(String payload) {
        executor.execute(parse(payload));
    }

    private TransferRequest parse(String payload) {
        if (payload == null) {
            throw new UnreadableRequestException("the record has no value");
        }
        try {
            return objectMapper.readValue(payload, TransferRequest.class);
        }
        catch (JsonProcessingException | IllegalArgumentException | NullPointerException invalid) {
            // Record constructors report missing fields as NullPointerException, wrapped or not.
            String message = invalid.getMessage() == null ? "unreadable" : invalid.getMessage().lines().findFirst().orElse("");
            throw new UnreadableRequestException("the record is not a transfer request: " + message);
        }
    }
}
