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
     * Offers, just before {@link #close()}, the SHA-256 of every byte written to this stream, which the
     * writer computed anyway, so that a backend that would hash the same bytes again uses it instead (S3
     * signs the payload of an object sent in one request with it over plain HTTP). It must be the digest
     * of exactly the bytes written: a backend that uses it sends it for the store to check against the
     * bytes, so a wrong one fails the write and never becomes part of a file. Backends with no use for it
     * ignore it, as this default does.
     */
    public void offerContentSha256(byte[] sha256) {
    }

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
