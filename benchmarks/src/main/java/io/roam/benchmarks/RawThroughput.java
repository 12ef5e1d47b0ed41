package io.roam.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The ceiling's two halves, measured with plain SDK calls and the same parallelism budget as the
 * tools: the files of a dataset read or written {@code parallelism} at a time, and a single file read as
 * {@code parallelism} ranges at once or written with {@code parallelism} parts in flight.
 */
final class RawThroughput {

    private static final int READ_BUFFER_SIZE = 1024 * 1024;

    private RawThroughput() {
    }

    /** Reads every file of the dataset under {@code directory}; returns MiB/s. */
    static double read(ReadableStore store, String directory, Dataset dataset, int parallelism) throws IOException {
        ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[READ_BUFFER_SIZE]);
        List<Callable<Void>> reads = new ArrayList<>();
        if (dataset.fileCount() == 1) {
            long rangeSize = Math.ceilDiv(dataset.fileSize(), parallelism);
            for (long start = 0; start < dataset.fileSize(); start += rangeSize) {
                long offset = start;
                long length = Math.min(rangeSize, dataset.fileSize() - start);
                reads.add(() -> {
                    store.read(directory + dataset.fileName(0), offset, length, buffers.get());
                    return null;
                });
            }
        }
        else {
            for (int index = 0; index < dataset.fileCount(); index++) {
                String file = directory + dataset.fileName(index);
                reads.add(() -> {
                    store.read(file, 0, dataset.fileSize(), buffers.get());
                    return null;
                });
            }
        }
        return Units.mebibytesPerSecond(dataset.totalBytes(), runAll(reads, parallelism));
    }

    /** Writes the dataset under {@code directory}; returns MiB/s. */
    static double write(WritableStore store, String directory, Dataset dataset, GeneratedContent content, int parallelism) throws IOException {
        List<Callable<Void>> writes = new ArrayList<>();
        int partConcurrency = dataset.fileCount() == 1 ? parallelism : 1;
        for (int index = 0; index < dataset.fileCount(); index++) {
            int fileIndex = index;
            writes.add(() -> {
                store.write(directory + dataset.fileName(fileIndex), dataset.fileSize(), content, fileIndex, partConcurrency);
                return null;
            });
        }
        return Units.mebibytesPerSecond(dataset.totalBytes(), runAll(writes, parallelism));
    }

    /** Runs the tasks {@code parallelism} at a time; returns how long they took in all. */
    static Duration runAll(List<Callable<Void>> tasks, int parallelism) throws IOException {
        long start = System.nanoTime();
        try (ExecutorService executor = Executors.newFixedThreadPool(parallelism)) {
            List<Future<Void>> results = new ArrayList<>(tasks.size());
            for (Callable<Void> task : tasks) {
                results.add(executor.submit(task));
            }
            for (Future<Void> result : results) {
                result.get();
            }
        }
        catch (ExecutionException failure) {
            throw new IOException("a raw read or write failed: " + failure.getCause(), failure.getCause());
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", interrupted);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
