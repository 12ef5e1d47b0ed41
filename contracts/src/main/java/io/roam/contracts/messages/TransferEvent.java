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
 * @param manifest a chunk of the files copied (or found, for a verification), sorted by path; only on
 *     {@link TransferEventType#MANIFEST}
 * @param manifestFiles on {@link TransferEventType#SUCCEEDED}, how many entries the transfer's MANIFEST
 *     events held in all; zero otherwise
 * @param error the classified failure; only on {@link TransferEventType#FAILED}
 * @param copiedTo on the {@link TransferEventType#STARTED} event of a copy, where the worker found it copies to: the
 *     target directory, with its {@code /}, when the source is a directory (written with or without one); the file's
 *     own location when one file is copied, inside the target when that is a directory. Null otherwise, and in
 *     events of workers from before it was added
 */
public record TransferEvent(
        UUID eventId,
        UUID transferId,
        UUID artifactId,
        TransferEventType type,
        Instant occurredAt,
        TransferProgress progress,
        List<ManifestEntry> manifest,
        long manifestFiles,
        TransferError error,
        String copiedTo) {

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
        return of(request, TransferEventType.STARTED, progress, List.of(), 0, null);
    }

    /** The start of a copy, once the worker knows its files and where they go. */
    public static TransferEvent copyStarted(TransferRequest request, TransferProgress progress, String copiedTo) {
        requireNonNull(copiedTo, "copiedTo is null");
        return new TransferEvent(UUID.randomUUID(), request.transferId(), request.artifactId(), TransferEventType.STARTED,
                Instant.now(), progress, List.of(), 0, null, copiedTo);
    }

    public static TransferEvent progress(TransferRequest request, TransferProgress progress) {
        return of(request, TransferEventType.PROGRESS, progress, List.of(), 0, null);
    }

    public static TransferEvent manifestChunk(TransferRequest request, TransferProgress progress, List<ManifestEntry> entries) {
        return of(request, TransferEventType.MANIFEST, progress, entries, 0, null);
    }

    public static TransferEvent succeeded(TransferRequest request, TransferProgress progress, long manifestFiles) {
        return of(request, TransferEventType.SUCCEEDED, progress, List.of(), manifestFiles, null);
    }

    public static TransferEvent failed(TransferRequest request, TransferProgress progress, TransferError error) {
        return of(request, TransferEventType.FAILED, progress, List.of(), 0, error);
    }

    private static TransferEvent of(TransferRequest request, TransferEventType type, TransferProgress progress,
            List<ManifestEntry> manifest, long manifestFiles, TransferError error) {
        return new TransferEvent(UUID.randomUUID(), request.transferId(), request.artifactId(), type, Instant.now(), progress,
                manifest, manifestFiles, error, null);
    }
}
