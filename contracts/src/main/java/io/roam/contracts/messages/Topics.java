package io.roam.contracts.messages;

/**
 * Kafka topics shared by Roam's services. Records on the transfer topics are keyed by transfer id so
 * that every event of one transfer lands on one partition, in order.
 */
public final class Topics {

    /** Gateway → transfer-worker: one {@link TransferRequest} per target. */
    public static final String TRANSFER_REQUESTS = "roam.transfer-requests";

    /** Transfer-worker → catalog: {@link TransferEvent}s reporting progress and results. */
    public static final String TRANSFER_EVENTS = "roam.transfer-events";

    /**
     * Gateway → every transfer-worker: {@link TransferCancellationRequest}s, keyed by transfer id. Each
     * worker reads all of them (its own consumer group), since any one of them may be running the transfer.
     */
    public static final String TRANSFER_CANCELLATIONS = "roam.transfer-cancellations";

    /** Transfer requests the worker can never process, with the reason in the record's headers. */
    public static final String TRANSFER_REQUESTS_DEAD_LETTER = "roam.transfer-requests.dead-letter";

    /** Transfer events the catalog can never process, with the reason in the record's headers. */
    public static final String TRANSFER_EVENTS_DEAD_LETTER = "roam.transfer-events.dead-letter";

    /**
     * Training jobs → gateway: CloudEvents announcing a saved checkpoint, a registered dataset or a saved
     * model, keyed by {@code project/run} so that one run's events stay in order.
     */
    public static final String TRAINING_EVENTS = "roam.training-events";

    /** Training events the gateway can never accept, with the reason in the record's headers. */
    public static final String TRAINING_EVENTS_DEAD_LETTER = "roam.training-events.dead-letter";

    private Topics() {
    }
}
