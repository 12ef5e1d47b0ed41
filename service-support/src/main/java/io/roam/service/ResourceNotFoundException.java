package io.roam.service;

/** The addressed resource does not exist; answered with 404. */
public final class ResourceNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ResourceNotFoundException(String message) {
        super(message);
    }
}
