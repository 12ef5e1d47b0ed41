package io.roam.catalog.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.roam.catalog.transfer.TransferRequestPublisher;
import io.roam.contracts.messages.Topics;
import io.roam.contracts.messages.TransferEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

/**
 * Consumes transfer events. A record that can never be applied (unreadable, about an unknown transfer, or
 * refused by the database) is sent to the dead-letter topic with the reason in its headers (the channel's
 * failure strategy), so it never blocks the partition, and is counted
 * ({@code roam_dead_letters_total{topic="roam.transfer-events.dead-letter"}}). A valid event that cannot be
 * applied <em>yet</em>, because the database fails for a moment, is applied again until it works
 * ({@link DatabaseRetry}; each pause counted in {@code roam_transfer_events_database_waits_total}): dropping it
 * would lose the transfer's outcome.
 *
 * <p>Each event is applied in a {@code roam.transfer-event} span that continues the trace its record
 * carries (the worker's transfer), with {@code transferId} and {@code artifactId} in the MDC of its log lines.
 */
@ApplicationScoped
public class TransferEventConsumer {

    private static final String DEAD_LETTERS = "roam.dead.letters";
    private static final String DATABASE_WAITS = "roam.transfer.events.database.waits";
    private static final String TRANSFER_ID = "transferId";
    private static final String ARTIFACT_ID = "artifactId";

    private final ObjectMapper objectMapper;
    private final TransferEventApplier applier;
    private final TransferRequestPublisher publisher;
    private final MeterRegistry meters;
    private final DatabaseRetry databaseRetry;

    public TransferEventConsumer(ObjectMapper objectMapper, TransferEventApplier applier, TransferRequestPublisher publisher,
            MeterRegistry meters) {
        // The REST API refuses unknown fields; events are read tolerantly, because during a rolling upgrade workers of the
        // newer release may send fields this catalog does not know yet, and such events must be applied, not dead-lettered.
        this.objectMapper = objectMapper.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.applier = applier;
        this.publisher = publisher;
        this.meters = meters;
        this.databaseRetry = new DatabaseRetry(meters.counter(DATABASE_WAITS));
    }

    /**
     * Applies the event, then publishes the transfers it led to (retention deletions), once they are recorded.
     *
     * @throws InterruptedException when the catalog stops while the event waits for the database
     */
    @Incoming("transfer-events")
    @Blocking
    @WithSpan("roam.transfer-event")
    public void consume(String payload) throws InterruptedException {
        try {
            TransferEvent event = parse(payload);
            Span.current().setAttribute("roam.transfer.id", event.transferId().toString())
                    .setAttribute("roam.artifact.id", event.artifactId().toString())
                    .setAttribute("roam.transfer-event.type", event.type().name());
            MDC.put(TRANSFER_ID, event.transferId().toString());
            MDC.put(ARTIFACT_ID, event.artifactId().toString());
            publisher.publish(databaseRetry.untilDone(event.eventId(), () -> applier.apply(event)));
        }
        catch (RuntimeException failure) {
            // Whatever the consumer throws, the channel's failure strategy sends the record to the dead-letter topic;
            // transient failures of the database never get here.
            meters.counter(DEAD_LETTERS, "topic", Topics.TRANSFER_EVENTS_DEAD_LETTER).increment();
            throw failure;
        }
        finally {
            MDC.remove(TRANSFER_ID);
            MDC.remove(ARTIFACT_ID);
        }
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
