package io.roam.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * Asks a transfer-worker to copy one artifact from a source location to one target location.
 * Published on {@link Topics#TRANSFER_REQUESTS}, keyed by {@link #transferId()}. Carries locations
 * only: the worker finds endpoints and credentials in its own storage profiles.
 *
 * @param transferId the transfer this request executes; a redelivered request has the same id
 * @param artifactId the catalog's id of the artifact being copied
 * @param artifact the artifact's coordinates, for logs and metrics
 * @param purpose why the copy was asked for
 * @param source a storage URI of a file, or of a directory when it ends with {@code /}
 * @param target a storage URI where the copy goes; a directory when the source is one
 * @param requestedAt when the gateway accepted the request
 */
public record TransferRequest(
        UUID transferId,
        UUID artifactId,
        ArtifactCoordinates artifact,
        TransferPurpose purpose,
        String source,
        String target,
        Instant requestedAt) {

    public TransferRequest {
        requireNonNull(transferId, "transferId is null");
        requireNonNull(artifactId, "artifactId is null");
        requireNonNull(artifact, "artifact is null");
        requireNonNull(purpose, "purpose is null");
        requireNonNull(source, "source is null");
        requireNonNull(target, "target is null");
        requireNonNull(requestedAt, "requestedAt is null");
    }
}
