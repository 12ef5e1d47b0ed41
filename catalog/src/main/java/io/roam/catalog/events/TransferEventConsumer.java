package io.roam.catalog.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roam.catalog.transfer.TransferRequestPublisher;
import io.roam.contracts.messages.TransferEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes transfer events. A record that cannot be parsed or applied is sent to the dead-letter topic
 * with the reason in its headers (the channel's failure strategy), so it never blocks the partition.
 */
@ApplicationScoped
public class TransferEventConsumer {

    private final ObjectMapper objectMapper;
    private final TransferEventApplier applier;
    private final TransferRequestPublisher publisher;

    public TransferEventConsumer(ObjectMapper objectMapper, TransferEventApplier applier, TransferRequestPublisher publisher) {
        this.objectMapper = objectMapper;
        this.applier = applier;
        this.publisher = publisher;
    }

    /** Applies the event, then publishes the transfers it led to (retention deletions), once they are recorded. */
    @Incoming("transfer-events")
    @Blocking
    public void consume(String payload) {
        publisher.publish(applier.apply(parse(payload)));
    }

    private TransferEvent parse(String payload) {
        if (payload == null) {
            throw new UnreadableEventException("the record has no value");
        }
        try {
            return objectMapper.readValue(payload, TransferEvent.class);
        }
        catch (JsonProcessingException | IllegalArgumentException | NullPointerException invalid) {
            // Record constructors report missing fields as NullPointerException, wrapped or not.
            throw new UnreadableEventException("the record is not a transfer event: " + firstLine(invalid.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
