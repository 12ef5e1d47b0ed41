package io.roam.contracts.messages;

/**
 * How far a transfer has come.
 *
 * @param bytesPerSecond the recent copy rate, averaged over the last reporting interval
 */
public record TransferProgress(long bytesDone, long bytesTotal, long filesDone, long filesTotal, long bytesPerSecond) {

    public static final TransferProgress NONE = new TransferProgress(0, 0, 0, 0, 0);
}
