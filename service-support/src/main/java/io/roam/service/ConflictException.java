package io.roam.service;

/** The request contradicts the resource's current state (cancelling a finished transfer); answered with 409. */
public final class ConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }
}
