package io.roam.storage;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Byte arrays kept once released for the next writer or file, up to {@code retainedBytes} in all: a dataset
 * of many small files then allocates a buffer per file in flight, not per file. Allocating them anew would
 * cost more than it seems: G1 places every array of half a heap region or more (512 KiB in a 256 MiB heap)
 * in the old generation, and a stream of them starts a concurrent collection every few files. Write
 * streams that buffer what they are given {@link #grow} their buffers in the sizes of {@link #sizeFor},
 * powers of two from {@value #SMALLEST} bytes up to their part size, so that files of any size find one to
 * reuse; the budget keeps what waits for reuse small next to the parts of large files in flight, which are
 * never kept beyond it. Safe for concurrent use.
 */
public final class BufferPool {

    /** Enough to reuse the buffers of the small files in flight (four of up to 4 MiB), little next to a heap of 256 MiB. */
    public static final long DEFAULT_RETAINED_BYTES = 16 * 1024 * 1024;
    public static final int SMALLEST = 64 * 1024;

    private final long retainedBytes;
    private final Map<Integer, Queue<byte[]>> free = new ConcurrentHashMap<>();
    private final AtomicLong retained = new AtomicLong();

    public BufferPool(long retainedBytes) {
        this.retainedBytes = retainedBytes;
    }

    /** The size of the buffer for {@code wanted} bytes: the power of two that holds them, at least the smallest, at most {@code largest}. */
    public static int sizeFor(long wanted, int largest) {
        long size = Math.max(SMALLEST, Long.highestOneBit(Math.max(1, wanted - 1)) << 1);
        return (int) Math.min(size, largest);
    }

    /** A released buffer of exactly this size, or a new one when none is free. */
    public byte[] take(int size) {
        Queue<byte[]> released = free.get(size);
        byte[] buffer = released == null ? null : released.poll();
        if (buffer == null) {
            return new byte[size];
        }
        retained.addAndGet(-size);
        return buffer;
    }

    /**
     * A buffer of at least {@code needed} bytes, at most {@code largest}, that starts with the first {@code
     * used} bytes of {@code buffer}, which goes back to the pool; {@code buffer} may be null or empty. It at
     * least doubles, so that a stream filled a little at a time copies each byte only a few times.
     */
    public byte[] grow(byte[] buffer, int used, long needed, int largest) {
        byte[] grown = take(sizeFor(Math.max(needed, buffer == null ? 0 : 2L * buffer.length), largest));
        if (buffer != null && buffer.length > 0) {
            System.arraycopy(buffer, 0, grown, 0, used);
            release(buffer);
        }
        return grown;
    }

    /** Keeps a buffer for reuse while the budget allows; the caller must not touch it afterwards. */
    public void release(byte[] buffer) {
        if (retained.addAndGet(buffer.length) > retainedBytes) {
            retained.addAndGet(-buffer.length);
            return;
        }
        free.computeIfAbsent(buffer.length, size -> new ConcurrentLinkedQueue<>()).offer(buffer);
    }
}
