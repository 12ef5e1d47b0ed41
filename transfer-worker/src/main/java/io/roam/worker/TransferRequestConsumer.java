package io.roam.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.roam.contracts.messages.TransferRequest;
import io.roam.contracts.messages.Topics;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Takes transfer requests from the workers' consumer group, several at once on the {@code transfers}
 * worker pool. A record that is not a transfer request goes to the dead-letter topic with the reason
 * (the channel's failure strategy, on nack); it never blocks the partition.
 *
 * <p>A record is acknowledged (its offset may be committed) only once its transfer's outcome is
 * published. A request the worker does not finish because it is shutting down is neither acknowledged
 * nor dead-lettered: its offset stays uncommitted, and Kafka delivers it again to the worker that takes
 * the partition over.
 *
 * <p>The transfer runs in the trace the request's record carries ({@code traceparent} header).
 */
@ApplicationScoped
public class TransferRequestConsumer {

    private final ObjectMapper objectMapper;
    private final TransferExecutor executor;
    private final TransferMetrics metrics;

    public TransferRequestConsumer(ObjectMapper objectMapper, TransferExecutor executor, TransferMetrics metrics) {
        this.objectMapper = objectMapper;
        this.executor = executor;
        this.metrics = metrics;
    }

    @Incoming("transfer-requests")
    @Blocking(value = "transfers", ordered = false)
    public CompletionStage<Void> consume(Message<String> record) {
        TransferExecutor.Completion completion;
        Context trace = TracingMetadata.fromMessage(record).map(TracingMetadata::getCurrentContext).orElseGet(Context::current);
        try (Scope ignored = trace.makeCurrent()) {
            completion = executor.execute(parse(record.getPayload()));
        }
        catch (RuntimeException failure) {
            metrics.deadLettered(Topics.TRANSFER_REQUESTS_DEAD_LETTER);
            return record.nack(failure);
        }
        return switch (completion) {
            case REPORTED -> record.ack();
            case LEFT_FOR_ANOTHER_WORKER -> CompletableFuture.completedFuture(null);
        };
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
