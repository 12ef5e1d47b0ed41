package io.roam.storage;

/**
 * The stream of a {@link ResumableWrite}: a {@link StorageOutputStream} that also tells how much of what
 * was written it did not have to send, because an unfinished earlier write had stored those exact bytes.
 * The counts are final once {@link #close()} has returned; before that they cover the parts decided so far.
 * Safe to read from any thread.
 *
 * <p>A write or close that fails may leave the stored parts as {@link #abandon()} does: the caller, which
 * knows whether it will retry, then calls {@link #abandon()} to keep them for the retry or {@link #abort()}
 * to discard them.
 */
public abstract class ResumableOutputStream extends StorageOutputStream {

    /** How many parts (or blocks) were reused instead of sent. */
    public abstract int partsResumed();

    /** How many of the bytes written were reused instead of sent: the sum of the reused parts' sizes. */
    public abstract long bytesResumed();

    /**
     * Stops the write as a process death would, for a writer that will try again: nothing is published,
     * the stream's resources are released, and the parts the backend has stored stay, for the next
     * resumable write of the file (in this process or another) to continue from. Parts in flight may or
     * may not be stored. Calling {@code close}, {@code abort} or this method afterwards does nothing.
     * Never throws.
     */
    public abstract void abandon();
}
