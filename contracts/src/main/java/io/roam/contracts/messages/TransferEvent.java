package io.roam.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Reports the progress or outcome of one transfer. Published by the worker on {@link
 * Topics#TRANSFER_EVENTS}, keyed by {@link #transferId()}, and applied by the catalog idempotently:
 * an event seen twice (same {@link #eventId()}) changes nothing, and nothing changes a transfer once
 * it has ended.
 *
 * @param eventId unique per event, the idempotency key
 * @param manifest the files copied, sorted by path; only on {@link TransferEventType#SUCCEEDED}
 * @param error the classified failure; only on {@link TransferEventType#FAILED}
 */
public record TransferEvent(
        UUID eventId,
        UUID transferId,
        UUID artifactId,
        TransferEventType type,
        Instant occurredAt,
        TransferProgress progress,
        List<ManifestEntry> manifest,
        TransferError error) {

    public TransferEvent {
        requireNonNull(eventId, "eventId is null");
        requireNonNull(transferId, "transferId is null");
        requireNonNull(artifactId, "artifactId is null");
        requireNonNull(type, "type is null");
        requireNonNull(occurredAt, "occurredAt is null");
        requireNonNull(progress, "progress is null");
        manifest = manifest == null ? List.of() : List.copyOf(manifest);
        if (type == TransferEventType.FAILED) {
            requireNonNull(error, "a FAILED event needs an error");
        }
    }

    public static TransferEvent started(TransferRequest request, TransferProgress progress) {
        return new TransferEvent(UUID.randomUUID(), request.transferId(), request.artifactId(),
                TransferEventType.STARTED, Instant.now(), progress, List.of(), null);
    }

    public static TransferEvent progress(TransferRequest request, TransferProgress progress) {
        return new TransferEvent(UUID.randomUUID(), request.transferId(), request.artifactId(),
                TransferEventType.PROGRESS, Instant.now(), progress, List.of(), null);
    }

    public static TransferEvent succeeded(TransferRequest request, TransferProgress progress, List<ManifestEntry> manifest) {
        return new TransferEvent(UUID.randomUUID(), request.transferId(), request.artifactId(),
                TransferEventType.SUCCEEDED, Instant.now(), progress, manifest, null);
    }

    public static TransferEvent failed(TransferRequest request, TransferProgress progress, TransferError error) {
        return new TransferEvent(UUID.randomUUID(), request.transferId(), request.artifactId(),
                TransferEventType.FAILED, Instant.now(), progress, List.of(), error);
    }
}
