package io.roam.catalog.artifact;

import io.roam.contracts.catalog.ArtifactRegistration;

/** Two registrations of the same new artifact raced; the loser's transaction is rolled back and retried. */
public final class ConcurrentRegistrationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConcurrentRegistrationException(ArtifactRegistration registration, Throwable cause) {
        super("artifact " + registration.project() + "/" + registration.kind().wireName() + "/" + registration.name() + "/"
                + registration.version() + " was registered concurrently", cause);
    }
}
