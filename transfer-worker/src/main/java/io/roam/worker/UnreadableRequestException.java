package io.roam.worker;

/** A Kafka record that is not a valid transfer request. */
public final class UnreadableRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnreadableRequestException(String message) {
        super(message);
    }
}
