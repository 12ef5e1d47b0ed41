package io.roam.storage.local;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.READ;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import io.roam.storage.StorageOutputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes to a temporary file and, on close, syncs it and renames it over the target, so that readers
 * see the previous file or the whole new one, never a part. When a write, the sync or the rename fails,
 * the temporary file is removed, the target is left as it was, and the stream is finished: later calls
 * fail and {@code close} does nothing.
 *
 * <p>Every {@value #BACKGROUND_SYNC_INTERVAL} bytes, what was written so far is synced by a background
 * thread while the writer goes on (one such sync at a time): a large file then reaches the disk while it
 * is still being received, instead of all at once when it is closed, where the sync of a few GiB would
 * otherwise take seconds of its own.
 *
 * <p>Without syncing (for scratch disks) the file is renamed into place as soon as it is written, and
 * reaches the disk when the kernel writes its pages back: readers still never see a part of it, but a
 * crash of the machine soon after may lose or truncate it.
 */
final class AtomicFileOutputStream extends StorageOutputStream {

    static final long BACKGROUND_SYNC_INTERVAL = 32 * 1024 * 1024;
    /**
     * The most one write hands the kernel. Larger writes let the page cache take 2 MiB folios (ext4, XFS),
     * which on virtual machines that give free memory back to the hypervisor (virtio-balloon free page
     * reporting) come from memory given back, and cost several times the processor time to fill: 0.73
     * against 0.09 system seconds per 256 MiB here. Elsewhere, slicing costs a system call per MiB.
     */
    static final int MAXIMUM_WRITE_LENGTH = 1024 * 1024;

    private final FileChannel channel;
    private final OutputStream buffered;
    private final Path temporary;
    private final Path target;
    private final boolean sync;
    private boolean finished;
    private long writtenSinceSync;
    /** The sync running in the background, if one was started. */
    private Thread backgroundSync;
    private volatile IOException backgroundSyncFailure;

    /** @param sync whether to sync the file before renaming it, and its directory after */
    AtomicFileOutputStream(FileChannel channel, Path temporary, Path target, int bufferSize, boolean sync) {
        this.channel = channel;
        this.buffered = new BufferedOutputStream(Channels.newOutputStream(channel), bufferSize);
        this.temporary = temporary;
        this.target = target;
        this.sync = sync;
    }

    @Override
    public void write(int value) throws IOException {
        requireUnfinished();
        try {
            buffered.write(value);
            syncInBackgroundWhenDue(1);
        }
        catch (IOException exception) {
            throw discard(exception);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        requireUnfinished();
        try {
            for (int written = 0; written < length; ) {
                int slice = Math.min(MAXIMUM_WRITE_LENGTH, length - written);
                buffered.write(bytes, offset + written, slice);
                written += slice;
            }
            syncInBackgroundWhenDue(length);
        }
        catch (IOException exception) {
            throw discard(exception);
        }
    }

    @Override
    public void flush() throws IOException {
        requireUnfinished();
        try {
            buffered.flush();
        }
        catch (IOException exception) {
            throw discard(exception);
        }
    }

    @Override
    public void close() throws IOException {
        if (finished) {
            return;
        }
        try {
            buffered.flush();
            if (sync) {
                awaitBackgroundSync();
                channel.force(true);
            }
            channel.close();
            Files.move(temporary, target, ATOMIC_MOVE, REPLACE_EXISTING);
        }
        catch (IOException exception) {
            throw discard(exception);
        }
        finished = true;
        if (sync) {
            syncDirectory(target.getParent());
        }
    }

    @Override
    public void abort() {
        if (!finished) {
            discard(new IOException("write to '%s' aborted".formatted(target)));
        }
    }

    private void syncInBackgroundWhenDue(int length) throws IOException {
        if (!sync) {
            return;
        }
        writtenSinceSync += length;
        if (writtenSinceSync < BACKGROUND_SYNC_INTERVAL || (backgroundSync != null && backgroundSync.isAlive())) {
            return;
        }
        throwBackgroundSyncFailure();
        buffered.flush();
        writtenSinceSync = 0;
        backgroundSync = Thread.ofVirtual().name("roam-sync-" + target.getFileName()).start(() -> {
            try {
                channel.force(false);
            }
            catch (IOException failure) {
                // The writer reports it; after an abort the channel is closed and this is expected.
                backgroundSyncFailure = failure;
            }
        });
    }

    private void awaitBackgroundSync() throws IOException {
        if (backgroundSync != null) {
            try {
                backgroundSync.join();
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while syncing '%s'".formatted(target));
            }
        }
        throwBackgroundSyncFailure();
    }

    private void throwBackgroundSyncFailure() throws IOException {
        if (backgroundSyncFailure != null) {
            throw new IOException("cannot sync '%s'".formatted(target), backgroundSyncFailure);
        }
    }

    private void requireUnfinished() throws IOException {
        if (finished) {
            throw new IOException("stream to '%s' is closed or failed".formatted(target));
        }
    }

    private IOException discard(IOException failure) {
        finished = true;
        try {
            channel.close();
        }
        catch (IOException exception) {
            failure.addSuppressed(exception);
        }
        try {
            Files.deleteIfExists(temporary);
        }
        catch (IOException exception) {
            failure.addSuppressed(exception);
        }
        return failure;
    }

    /**
     * Makes the rename durable: until the directory is synced, a crash may lose the new entry. Best
     * effort, because the file is already in place and not every platform can open a directory.
     */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, READ)) {
            channel.force(true);
        }
        catch (IOException ignored) {
            // The write has succeeded; only its durability across a crash is less certain.
        }
    }
}
