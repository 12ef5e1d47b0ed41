package io.roam.transfer;

import static java.util.Objects.requireNonNull;

import io.roam.storage.Location;
import io.roam.storage.StorageErrors;
import io.roam.storage.StorageFileSystem;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads whole files from start to end and hands their bytes over in order, whatever way they were read:
 * a small file through the caller's buffer, one stream; a file of at least two parts through up to
 * {@code readsPerFile} ranged reads at once ({@link StorageFileSystem#openRead(Location, long, long)}), each
 * into a part buffer of the shared {@link PartBuffers}, so that reading the next parts overlaps with what
 * the consumer does with the current one (digesting it, writing it to the target).
 *
 * <p>A file read in parts is expected to have the size given. One that turns out shorter is read to its end
 * like any file (the last parts come back short or empty); one that turns out longer, or whose parts do not
 * fit together (a short part followed by a non-empty one), fails with a {@link SourceChangedException}.
 */
final class OrderedFileReader {

    /** Takes the bytes of a file in order; {@code bytes} is reused once this returns. */
    @FunctionalInterface
    interface BytesConsumer {
        void accept(byte[] bytes, int length) throws IOException;
    }

    private final PartBuffers parts;
    private final int readsPerFile;

    OrderedFileReader(PartBuffers parts, int readsPerFile) {
        this.parts = requireNonNull(parts, "parts is null");
        this.readsPerFile = readsPerFile;
    }

    /** Whether a file of this size is read in parts. */
    boolean readsInParts(long size) {
        return size >= 2L * parts.partSize();
    }

    /**
     * Reads the whole file, stopping at the first buffer after a cancellation, and returns how many bytes it
     * handed over.
     *
     * @param expectedSize the size the file is believed to have; it decides whether the file is read in parts
     * @param buffer the buffer a file not read in parts streams through
     */
    long read(StorageFileSystem fileSystem, Location file, long expectedSize, byte[] buffer, TransferCancellation cancellation,
            BytesConsumer consumer) throws IOException {
        if (!readsInParts(expectedSize)) {
            return readStream(fileSystem, file, buffer, cancellation, consumer);
        }
        return readInParts(fileSystem, file, expectedSize, cancellation, consumer);
    }

    private static long readStream(StorageFileSystem fileSystem, Location file, byte[] buffer, TransferCancellation cancellation,
            BytesConsumer consumer) throws IOException {
        long size = 0;
        try (InputStream input = fileSystem.openRead(file, 0)) {
            boolean ended = false;
            while (!ended) {
                cancellation.throwIfCancelled();
                // Whole buffers, not what each network packet brings: the writer then sees few, large writes.
                int read = input.readNBytes(buffer, 0, buffer.length);
                ended = read < buffer.length;
                if (read > 0) {
                    consumer.accept(buffer, read);
                    size += read;
                }
            }
        }
        return size;
    }

    /** One part as read: its bytes are {@code buffer[0, length)}; fewer than asked for when the file ended. */
    private record Part(long offset, byte[] buffer, int length, int requested) {
    }

    private long readInParts(StorageFileSystem fileSystem, Location file, long expectedSize, TransferCancellation cancellation,
            BytesConsumer consumer) throws IOException {
        Deque<Future<Part>> pending = new ArrayDeque<>();
        long nextOffset = 0;
        long handedOver = 0;
        boolean ended = false;
        try (ExecutorService readers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("roam-read-", 0).factory())) {
            try {
                while (true) {
                    while (pending.size() < readsPerFile && nextOffset < expectedSize) {
                        // Wait for a buffer only while holding none: readers sharing the pool never deadlock.
                        byte[] buffer = pending.isEmpty() ? parts.take() : parts.poll();
                        if (buffer == null) {
                            break;
                        }
                        long offset = nextOffset;
                        int length = (int) Math.min(parts.partSize(), expectedSize - offset);
                        boolean last = offset + length == expectedSize;
                        pending.addLast(readers.submit(() -> readPart(fileSystem, file, offset, length, last, buffer)));
                        nextOffset += length;
                    }
                    if (pending.isEmpty()) {
                        return handedOver;
                    }
                    Part part = await(pending.removeFirst());
                    try {
                        if (ended && part.length() > 0) {
                            throw new SourceChangedException("'%s' changed while it was read: it ended before offset %d, then had bytes there"
                                    .formatted(file, part.offset()));
                        }
                        ended = part.length() < part.requested();
                        cancellation.throwIfCancelled();
                        consumer.accept(part.buffer(), part.length());
                        handedOver += part.length();
                    }
                    finally {
                        parts.release(part.buffer());
                    }
                }
            }
            finally {
                for (Future<Part> abandoned : pending) {
                    releaseWhenRead(abandoned);
                }
            }
        }
    }

    /** Reads one part into {@code buffer}; gives the buffer back to the pool itself if it fails. */
    private Part readPart(StorageFileSystem fileSystem, Location file, long offset, int length, boolean last, byte[] buffer)
            throws IOException {
        boolean handedOver = false;
        // The last part is read unbounded, to notice a file that has grown since its size was taken.
        try (InputStream input = last ? fileSystem.openRead(file, offset) : fileSystem.openRead(file, offset, length)) {
            int read = input.readNBytes(buffer, 0, length);
            if (last && read == length && input.read() >= 0) {
                throw new SourceChangedException("'%s' changed while it was read: it is longer than the %d bytes it had"
                        .formatted(file, offset + length));
            }
            handedOver = true;
            return new Part(offset, buffer, read, length);
        }
        finally {
            if (!handedOver) {
                parts.release(buffer);
            }
        }
    }

    private static Part await(Future<Part> part) throws IOException {
        try {
            return part.get();
        }
        catch (ExecutionException failure) {
            if (failure.getCause() instanceof IOException io) {
                throw io;
            }
            throw StorageErrors.classify(failure.getCause());
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw StorageErrors.classify(interrupted);
        }
    }

    /** Waits, even when interrupted, for a part no one will consume, and gives its buffer back. */
    private void releaseWhenRead(Future<Part> abandoned) {
        boolean interrupted = false;
        while (true) {
            try {
                parts.release(abandoned.get().buffer());
                break;
            }
            catch (ExecutionException failed) {
                // Its reader gave the buffer back already.
                break;
            }
            catch (InterruptedException interruption) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
