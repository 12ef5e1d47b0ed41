package io.roam.catalog.events;

/** A Kafka record that is not a valid transfer event. */
public final class UnreadableEventException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnreadableEventException(String message) {
        super(message);
    }
}
