package io.roam.storage;

/**
 * An optional capability: a write that continues what an earlier, unfinished write of the same file left
 * stored at the backend (the parts of an S3 multipart upload, the staged blocks of an Azure block blob, the
 * partial file of a local write),
 * so that a writer that died part-way (a worker killed or preempted) costs its successor the parts that
 * were in flight, not the whole file. A file system implements this only when its backend keeps such
 * parts across processes; callers check with {@code instanceof} and otherwise use {@link
 * StorageFileSystem#openWrite}, which starts over.
 *
 * <p>The contract, for every implementation:
 * <ul>
 *   <li>The caller writes the whole file from its first byte, exactly as with {@code openWrite}: the bytes
 *       are what decide which stored parts can be kept. A stored part is reused only when its size and its
 *       content (its bytes, an MD5, or a checksum the backend verified on upload) equal those of the bytes
 *       just written for that part; every other part is sent again. The result is therefore byte for byte
 *       what a fresh write of the same bytes gives, whatever the earlier write held, even another version
 *       of the file, and never a mix of two writes.
 *   <li>Everything else is as with {@code openWrite}: nothing is visible before a successful {@code
 *       close}, the file then appears as a whole, and {@link StorageOutputStream#abort()} leaves the
 *       location as it was. Abort also discards the stored parts where the backend can (S3 aborts the
 *       upload); where it cannot (Azure's uncommitted blocks), later writes may still reuse them, safely,
 *       by the rule above.
 *   <li>A stream neither closed nor aborted (its process died) leaves its stored parts for the next
 *       resumable write of that file to find, with a new file system instance in another process. Parts
 *       nobody resumes expire by the backend's own rules (an S3 lifecycle rule for incomplete multipart
 *       uploads, Azure's garbage collection of uncommitted blocks after a week); backends without such rules
 *       (local disks) keep them, one per file at most, until a write of that file finishes or aborts.
 *   <li>Part boundaries come from the file system's configuration (its part or block size), so a resumed
 *       write reuses parts only when that configuration is unchanged.
 * </ul>
 */
public interface ResumableWrite {

    /**
     * Opens a write of {@code file} that reuses what an unfinished earlier write stored, when the bytes
     * written match it. With nothing stored, it behaves exactly like {@link StorageFileSystem#openWrite}.
     */
    ResumableOutputStream openResumableWrite(Location file);

    /**
     * As {@link #openResumableWrite(Location)}, for a caller that knows how many bytes it is about to write. A
     * file system for which keeping a write resumable costs more than writing a file that small again (local
     * disks: a lock and renames per file) may write it as {@link StorageFileSystem#openWrite} does, which an
     * abandoned write then leaves nothing of. The size is a hint: the stream takes whatever is written.
     */
    default ResumableOutputStream openResumableWrite(Location file, long expectedSize) {
        return openResumableWrite(file);
    }
}
