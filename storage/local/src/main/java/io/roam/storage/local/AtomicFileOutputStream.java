package io.roam.storage.local;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.READ;

import io.roam.storage.ResumableOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

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
 *
 * <p>A {@linkplain #resuming resumed} write continues a partial file an unfinished earlier write left,
 * which the caller holds locked. Its bytes are compared, in blocks of {@value #RESUME_BLOCK_SIZE} bytes,
 * with what that file holds: a block that holds exactly the bytes written is kept, any other is written
 * again, and whatever the file holds past the end is cut off, so the result is byte for byte what a fresh
 * write gives. Before the lock is released on close, the partial file is renamed out of the way of the next
 * writer looking for it.
 */
final class AtomicFileOutputStream extends ResumableOutputStream {

    static final long BACKGROUND_SYNC_INTERVAL = 32 * 1024 * 1024;
    /**
     * The most one write hands the kernel. Larger writes let the page cache take 2 MiB folios (ext4, XFS),
     * which on virtual machines that give free memory back to the hypervisor (virtio-balloon free page
     * reporting) come from memory given back, and cost several times the processor time to fill: 0.73
     * against 0.09 system seconds per 256 MiB here. Elsewhere, slicing costs a system call per MiB.
     */
    static final int MAXIMUM_WRITE_LENGTH = 1024 * 1024;
    /** The unit a resumed write keeps or writes again; the size of the engine's writes, so that comparing copies no more than it must. */
    static final int RESUME_BLOCK_SIZE = MAXIMUM_WRITE_LENGTH;

    private final FileChannel channel;
    private final OutputStream buffered;
    private final Path temporary;
    private final Path target;
    private final boolean sync;
    /** Whether {@link #temporary} is a partial file that later writes look for, rather than a name of this write's own. */
    private final boolean resumable;
    /** Where the partial file goes on close, before the lock is released: a name of this write's own. */
    private final Supplier<Path> publishingName;
    /** Called with this stream once it is finished, however it finishes. */
    private final Consumer<AtomicFileOutputStream> onFinished;
    private final AtomicBoolean finished = new AtomicBoolean();
    /** The end of the last whole block the partial file held when the write began: bytes before it are compared, not written. */
    private final long comparedEnd;
    /** The bytes given to this stream so far. */
    private long position;
    /** The bytes of the block being compared, and those the partial file holds there; released once past {@link #comparedEnd}. */
    private byte[] block;
    private byte[] stored;
    private int blockLength;
    private volatile int partsResumed;
    private volatile long bytesResumed;
    private long writtenSinceSync;
    /** The sync running in the background, if one was started. */
    private Thread backgroundSync;
    private volatile IOException backgroundSyncFailure;

    /**
     * A fresh write into a temporary file of its own, which nobody else looks for: abandoning it discards it.
     *
     * @param sync whether to sync the file before renaming it, and its directory after
     */
    AtomicFileOutputStream(FileChannel channel, Path temporary, Path target, int bufferSize, boolean sync) {
        this(channel, temporary, target, bufferSize, sync, false, () -> temporary, finished -> {});
    }

    private AtomicFileOutputStream(FileChannel channel, Path temporary, Path target, int bufferSize, boolean sync, boolean resumable,
            Supplier<Path> publishingName, Consumer<AtomicFileOutputStream> onFinished) {
        this.channel = channel;
        this.buffered = new BufferedOutputStream(Channels.newOutputStream(channel), bufferSize);
        this.temporary = temporary;
        this.target = target;
        this.sync = sync;
        this.resumable = resumable;
        this.publishingName = publishingName;
        this.onFinished = onFinished;
        long storedLength;
        try {
            storedLength = resumable ? channel.size() : 0;
        }
        catch (IOException unknown) {
            // Nothing is compared: every byte is written, as in a fresh write.
            storedLength = 0;
        }
        this.comparedEnd = storedLength - storedLength % RESUME_BLOCK_SIZE;
        if (comparedEnd > 0) {
            block = new byte[RESUME_BLOCK_SIZE];
            stored = new byte[RESUME_BLOCK_SIZE];
        }
    }

    /**
     * Continues the partial file {@code partial}, opened for reading and writing through {@code channel},
     * which holds the only lock on it, so that no other writer uses it until this stream finishes.
     *
     * @param publishingName a new name in the target's directory, not in use, to move the partial file to on close
     * @param onFinished     called once the stream is finished and the lock released, however it finishes
     */
    static AtomicFileOutputStream resuming(FileChannel channel, Path partial, Path target, int bufferSize, boolean sync,
            Supplier<Path> publishingName, Consumer<AtomicFileOutputStream> onFinished) {
        return new AtomicFileOutputStream(channel, partial, target, bufferSize, sync, true, publishingName, onFinished);
    }

    @Override
    public int partsResumed() {
        return partsResumed;
    }

    @Override
    public long bytesResumed() {
        return bytesResumed;
    }

    @Override
    public void write(int value) throws IOException {
        if (position < comparedEnd) {
            write(new byte[] {(byte) value}, 0, 1);
            return;
        }
        requireUnfinished();
        try {
            buffered.write(value);
            position++;
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
            int compared = position < comparedEnd ? compareWithStored(bytes, offset, length) : 0;
            for (int written = compared; written < length; ) {
                int slice = Math.min(MAXIMUM_WRITE_LENGTH, length - written);
                buffered.write(bytes, offset + written, slice);
                written += slice;
            }
            position += length - compared;
            syncInBackgroundWhenDue(length - compared);
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
        if (finished.get()) {
            return;
        }
        try {
            if (blockLength > 0) {
                // The file ended within what the partial file held: its last bytes were not compared.
                writeAt(block, blockLength, position - blockLength);
            }
            buffered.flush();
            if (resumable && channel.size() > position) {
                channel.truncate(position);
            }
            if (sync) {
                awaitBackgroundSync();
                channel.force(true);
            }
            Path published = temporary;
            if (resumable) {
                // Out of the way of the next writer, which would otherwise find and lock the file being published.
                published = publishingName.get();
                Files.move(temporary, published, ATOMIC_MOVE);
            }
            try {
                channel.close();
                Files.move(published, target, ATOMIC_MOVE, REPLACE_EXISTING);
            }
            catch (IOException exception) {
                Files.deleteIfExists(published);
                throw exception;
            }
        }
        catch (IOException exception) {
            throw discard(exception);
        }
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        onFinished.accept(this);
        if (sync) {
            syncDirectory(target.getParent());
        }
    }

    @Override
    public void abort() {
        discard(new IOException("write to '%s' aborted".formatted(target)));
    }

    /**
     * Keeps the partial file of a resumed write for the next writer and releases its lock; the bytes
     * still buffered are lost, as in a process death. A fresh write's temporary file has a name nobody
     * looks for: it is removed instead.
     */
    @Override
    public void abandon() {
        if (!resumable) {
            abort();
            return;
        }
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        try {
            channel.close();
        }
        catch (IOException ignored) {
            // What the file holds is compared by the next writer anyway.
        }
        onFinished.accept(this);
    }

    /**
     * Takes bytes into the block being compared until the end of what the partial file held, settling
     * each block as it fills; returns how many bytes it took.
     */
    private int compareWithStored(byte[] bytes, int offset, int length) throws IOException {
        int taken = 0;
        while (taken < length && position < comparedEnd) {
            int slice = Math.min(RESUME_BLOCK_SIZE - blockLength, length - taken);
            System.arraycopy(bytes, offset + taken, block, blockLength, slice);
            blockLength += slice;
            position += slice;
            taken += slice;
            if (blockLength == RESUME_BLOCK_SIZE) {
                settleBlock(position - RESUME_BLOCK_SIZE);
            }
        }
        if (position == comparedEnd) {
            // Past what was stored: the rest is written as a fresh write would.
            channel.position(comparedEnd);
            block = null;
            stored = null;
        }
        return taken;
    }

    /** Keeps the block at {@code start} when the partial file holds exactly its bytes there, and otherwise writes it. */
    private void settleBlock(long start) throws IOException {
        ByteBuffer storedBytes = ByteBuffer.wrap(stored);
        while (storedBytes.hasRemaining() && channel.read(storedBytes, start + storedBytes.position()) >= 0) {
            // Reads until the block is whole; a file cut short since it was measured ends the loop.
        }
        if (!storedBytes.hasRemaining() && Arrays.equals(block, stored)) {
            partsResumed++;
            bytesResumed += RESUME_BLOCK_SIZE;
        }
        else {
            writeAt(block, RESUME_BLOCK_SIZE, start);
        }
        blockLength = 0;
    }

    private void writeAt(byte[] bytes, int length, long start) throws IOException {
        ByteBuffer source = ByteBuffer.wrap(bytes, 0, length);
        while (source.hasRemaining()) {
            channel.write(source, start + source.position());
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
        if (finished.get()) {
            throw new IOException("stream to '%s' is closed or failed".formatted(target));
        }
    }

    /**
     * Removes the temporary file and finishes the stream, unless it is finished already (an abandoned
     * write's partial file stays). The file is removed before its channel is closed, which releases the
     * lock of a resumed write: the next writer then finds no file rather than one about to disappear.
     */
    private IOException discard(IOException failure) {
        if (!finished.compareAndSet(false, true)) {
            return failure;
        }
        try {
            Files.deleteIfExists(temporary);
        }
        catch (IOException exception) {
            failure.addSuppressed(exception);
        }
        try {
            channel.close();
        }
        catch (IOException exception) {
            failure.addSuppressed(exception);
        }
        onFinished.accept(this);
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
