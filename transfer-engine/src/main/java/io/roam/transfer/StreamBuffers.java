package io.roam.transfer;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The buffers files that are not read in parts stream through, all of one size, kept once released for
 * the next file: a dataset of many small files then allocates a buffer per file in flight, not per file.
 * Allocating them anew would cost more than it seems: G1 places every array of half a heap region or more
 * (512 KiB in a 256 MiB heap) in the old generation, and a stream of them starts a concurrent collection
 * every few files. The pool never holds more buffers than were in use at once, which the number of files
 * in flight bounds.
 */
final class StreamBuffers {

    private final int bufferSize;
    private final Queue<byte[]> free = new ConcurrentLinkedQueue<>();

    StreamBuffers(int bufferSize) {
        this.bufferSize = bufferSize;
    }

    /** A released buffer, or a new one when none is free. */
    byte[] take() {
        byte[] buffer = free.poll();
        return buffer != null ? buffer : new byte[bufferSize];
    }

    /** Gives a buffer from {@link #take()} back, once nothing reads or writes it any more. */
    void release(byte[] buffer) {
        free.offer(buffer);
    }
}
