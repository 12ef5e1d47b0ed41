package io.roam.transfer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters the engine updates while it copies, safe to read from another thread (a progress
 * reporter samples them at its own pace instead of being called for every buffer).
 *
 * <p>A file found already at the target with the same content is skipped: it counts as done (in
 * {@link #filesDone()} and {@link #bytesDone()}) and also in {@link #filesSkipped()} and {@link
 * #bytesSkipped()}, so the bytes actually written are {@code bytesDone() - bytesSkipped()}.
 */
public final class TransferProgressTracker {

    private final AtomicLong bytesTotal = new AtomicLong();
    private final AtomicLong filesTotal = new AtomicLong();
    private final AtomicLong bytesDone = new AtomicLong();
    private final AtomicLong filesDone = new AtomicLong();
    private final AtomicLong bytesSkipped = new AtomicLong();
    private final AtomicLong filesSkipped = new AtomicLong();
    private final AtomicLong partsResumed = new AtomicLong();
    private final AtomicLong bytesResumed = new AtomicLong();

    void planned(TransferPlan plan) {
        bytesTotal.set(plan.totalBytes());
        filesTotal.set(plan.files().size());
    }

    void bytesCopied(long count) {
        bytesDone.addAndGet(count);
    }

    void fileCompleted() {
        filesDone.incrementAndGet();
    }

    void fileSkipped(long size) {
        bytesSkipped.addAndGet(size);
        filesSkipped.incrementAndGet();
        bytesDone.addAndGet(size);
        filesDone.incrementAndGet();
    }

    void partsResumed(int parts, long bytes) {
        partsResumed.addAndGet(parts);
        bytesResumed.addAndGet(bytes);
    }

    public long bytesTotal() {
        return bytesTotal.get();
    }

    public long filesTotal() {
        return filesTotal.get();
    }

    public long bytesDone() {
        return bytesDone.get();
    }

    public long filesDone() {
        return filesDone.get();
    }

    /** The bytes of the files that were already at the target and not written again; part of {@link #bytesDone()}. */
    public long bytesSkipped() {
        return bytesSkipped.get();
    }

    /** The files that were already at the target and not written again; part of {@link #filesDone()}. */
    public long filesSkipped() {
        return filesSkipped.get();
    }

    /**
     * The parts of files written that were not sent, because an unfinished earlier write of the same file
     * (by a worker that died) had stored them with the same bytes. Their bytes count in {@link #bytesDone()}.
     */
    public long partsResumed() {
        return partsResumed.get();
    }

    /** The bytes of the {@linkplain #partsResumed() resumed parts}. */
    public long bytesResumed() {
        return bytesResumed.get();
    }
}
