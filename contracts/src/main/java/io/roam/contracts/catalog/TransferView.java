package io.roam.contracts.catalog;

import io.roam.contracts.messages.TransferError;
import io.roam.contracts.messages.TransferPurpose;
import java.time.Instant;
import java.util.UUID;

/**
 * A transfer as the catalog knows it, with its latest progress. {@code project} is its artifact's project, the one
 * that decides who may see or cancel it; {@code error} is set when it failed. Of {@code bytesDone}, {@code bytesSkipped}
 * were already at the target and {@code bytesResumed} had been stored there by an earlier attempt: neither was sent.
 */
public record TransferView(
        UUID id,
        UUID artifactId,
        String project,
        TransferPurpose purpose,
        String source,
        String target,
        TransferState state,
        long bytesDone,
        long bytesTotal,
        long filesDone,
        long filesTotal,
        long bytesPerSecond,
        long bytesSkipped,
        long bytesResumed,
        TransferError error,
        Instant createdAt,
        Instant updatedAt) {
}
