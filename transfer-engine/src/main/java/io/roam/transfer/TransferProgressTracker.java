package io.roam.transfer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters the engine updates while it copies, safe to read from another thread (a progress
 * reporter samples them at its own pace instead of being called for every buffer).
 */
public final class TransferProgressTracker {

    private final AtomicLong bytesTotal = new AtomicLong();
    private final AtomicLong filesTotal = new AtomicLong();
    private final AtomicLong bytesDone = new AtomicLong();
    private final AtomicLong filesDone = new AtomicLong();

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
}
