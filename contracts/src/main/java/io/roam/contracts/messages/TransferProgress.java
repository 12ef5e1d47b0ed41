package io.roam.contracts.messages;

/**
 * How far a transfer has come. Readers ignore fields they do not know, so that fields can be added while
 * workers and catalogs of two releases run side by side.
 *
 * @param bytesPerSecond the recent copy rate, averaged over the last reporting interval
 * @param bytesSkipped   of {@code bytesDone}, the bytes of files found at the target already, with the same content,
 *                       and not written again (an incremental re-run)
 * @param bytesResumed   of {@code bytesDone}, the bytes a dead or failed earlier attempt had stored at the target
 *                       (uploaded parts, staged blocks, a partial file) and that were kept instead of sent again
 */
public record TransferProgress(long bytesDone, long bytesTotal, long filesDone, long filesTotal, long bytesPerSecond,
        long bytesSkipped, long bytesResumed) {

    public static final TransferProgress NONE = new TransferProgress(0, 0, 0, 0, 0, 0, 0);
}
