package io.roam.storage;

import java.io.OutputStream;
import java.util.Optional;

/**
 * A stream writing one file, which becomes visible at its location only on a successful {@link
 * #close()}. A writer that fails part-way calls {@link #abort()} instead, so that no partial file is ever
 * published.
 */
public abstract class StorageOutputStream extends OutputStream {

    /**
     * Discards everything written so far and releases the stream's resources (a temporary file, an
     * open multipart upload). The location keeps whatever it held before. Calling {@code close} after
     * {@code abort} does nothing; aborting twice, or after a failed write, is harmless. Never throws:
     * cleanup that fails is left to the backend's own expiry of abandoned uploads.
     */
    public abstract void abort();

    /**
     * After a successful {@link #close()}: what the backend, in its answer to the write itself, reported
     * keeping for the file, exactly as {@link WriteVerification#storedChecksum} would report it then, so
     * that a writer verifying the file need not ask again. Empty before the close, for backends without
     * {@link WriteVerification}, and when the answer carried no checksum (then ask the file system).
     */
    public Optional<WriteVerification.StoredChecksum> storedChecksum() {
        return Optional.empty();
    }
}
