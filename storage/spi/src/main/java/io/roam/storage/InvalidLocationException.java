package io.roam.storage;

/**
 * A location string that Roam refuses to parse. The message says what is wrong and quotes the input,
 * with control characters escaped and over-long input shortened so that it is safe to log.
 */
public final class InvalidLocationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidLocationException(String message) {
        super(message);
    }
}
