package io.roam.worker;

import io.opentelemetry.context.Context;
import io.roam.contracts.messages.TransferEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes transfer events keyed by transfer id, so that one transfer's events stay in order. Each record
 * carries the trace context of the thread that publishes it (W3C {@code traceparent} header), so that the
 * catalog continues the transfer's trace.
 */
@ApplicationScoped
public class TransferEventPublisher {

    private static final Logger LOG = Logger.getLogger(TransferEventPublisher.class);

    private final MutinyEmitter<TransferEvent> events;

    public TransferEventPublisher(@Channel("transfer-events") MutinyEmitter<TransferEvent> events) {
        this.events = events;
    }

    /** Sends and waits until Kafka has the event: outcomes must not be lost. */
    public void publish(TransferEvent event) {
        events.sendMessageAndAwait(keyed(event));
    }

    /** Sends without waiting: a lost progress event is superseded by the next one. */
    public void publishProgress(TransferEvent event) {
        events.sendMessage(keyed(event)).subscribe().with(
                sent -> {
                },
                failure -> LOG.debugf(failure, "progress event of transfer %s was not sent", event.transferId()));
    }

    private static Message<TransferEvent> keyed(TransferEvent event) {
        // The record is written on the connector's thread: the context is taken here, on the publisher's.
        return Message.of(event)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.transferId().toString()).build())
                .addMetadata(TracingMetadata.withCurrent(Context.current()));
    }
}
