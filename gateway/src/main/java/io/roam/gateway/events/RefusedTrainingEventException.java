package io.roam.gateway.events;

/**
 * A well-formed training event that its producer may not send: a project other than its topic's, or a source its
 * project may not read. Sent to the dead-letter topic with the message as the reason.
 */
public final class RefusedTrainingEventException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RefusedTrainingEventException(String reason) {
        super(reason);
    }
}
