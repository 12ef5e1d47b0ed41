package io.roam.transfer;

import io.roam.storage.StorageErrors;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * The engine's pool of part buffers, all of one size, shared by every file read in parts: the bound on
 * the memory large files take, however many are in flight. Buffers are kept for reuse once allocated,
 * up to the pool's size, so that copying many large files does not churn the heap.
 *
 * <p>A reader never waits for a buffer while it holds one ({@link #poll()} then, {@link #take()} only with
 * none), so readers sharing the pool cannot deadlock.
 */
final class PartBuffers {

    private final int partSize;
    private final Semaphore available;
    private final Queue<byte[]> free = new ConcurrentLinkedQueue<>();

    PartBuffers(int partSize, int count) {
        this.partSize = partSize;
        this.available = new Semaphore(count);
    }

    int partSize() {
        return partSize;
    }

    /** A buffer, waiting until one is free. */
    byte[] take() {
        try {
            available.acquire();
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw StorageErrors.classify(interrupted);
        }
        return allocate();
    }

    /** A buffer if one is free now, otherwise null. */
    byte[] poll() {
        return available.tryAcquire() ? allocate() : null;
    }

    void release(byte[] buffer) {
        free.offer(buffer);
        available.release();
    }

    private byte[] allocate() {
        byte[] buffer = free.poll();
        return buffer == null ? new byte[partSize] : buffer;
    }
}
