package io.roam.benchmarks;

import static java.util.Objects.requireNonNull;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * A directory of the local disk. Its writes are not synced: the ceiling is what the page cache takes, as
 * rclone's local writes and Roam's to a scratch disk ({@code sync=false}) are.
 */
final class LocalStore implements ReadableStore, WritableStore {

    /** One MiB per write, the fastest here: larger writes fill the page cache with 2 MiB folios, slow to fill on this VM. */
    private static final int WRITE_BUFFER_SIZE = 1024 * 1024;

    private final Path root;

    LocalStore(Path root) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath();
    }

    Path root() {
        return root;
    }

    Path path(String relativePath) {
        return root.resolve(relativePath);
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public String roamLocation(String directory) {
        return "file://" + path(directory) + "/";
    }

    @Override
    public String rcloneLocation(String directory) {
        return path(directory) + "/";
    }

    @Override
    public void read(String file, long offset, long length, byte[] buffer) throws IOException {
        try (FileChannel channel = FileChannel.open(path(file), StandardOpenOption.READ)) {
            long remaining = length;
            long position = offset;
            ByteBuffer wrapped = ByteBuffer.wrap(buffer);
            while (remaining > 0) {
                wrapped.clear().limit((int) Math.min(buffer.length, remaining));
                int read = channel.read(wrapped, position);
                if (read < 0) {
                    throw new EOFException(file + " ended " + remaining + " bytes early");
                }
                position += read;
                remaining -= read;
            }
        }
    }

    @Override
    public void write(String file, long size, GeneratedContent content, int fileIndex, int partConcurrency) throws IOException {
        Path target = path(file);
        Files.createDirectories(target.getParent());
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            if (partConcurrency <= 1 || size <= WRITE_BUFFER_SIZE) {
                writeRange(channel, content, fileIndex, 0, size);
                return;
            }
            writeInParallel(channel, size, content, fileIndex, partConcurrency);
        }
    }

    /** Positional writes of contiguous ranges, one per thread. */
    private static void writeInParallel(FileChannel channel, long size, GeneratedContent content, int fileIndex, int partConcurrency)
            throws IOException {
        long rangeSize = Math.ceilDiv(size, partConcurrency);
        try (ExecutorService executor = Executors.newFixedThreadPool(partConcurrency)) {
            List<Future<?>> ranges = new ArrayList<>();
            for (long start = 0; start < size; start += rangeSize) {
                long rangeStart = start;
                long rangeLength = Math.min(rangeSize, size - start);
                ranges.add(executor.submit(() -> {
                    writeRange(channel, content, fileIndex, rangeStart, rangeLength);
                    return null;
                }));
            }
            for (Future<?> range : ranges) {
                range.get();
            }
        }
        catch (ExecutionException failure) {
            throw new IOException("a parallel write failed", failure.getCause());
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", interrupted);
        }
    }

    private static void writeRange(FileChannel channel, GeneratedContent content, int fileIndex, long start, long length) throws IOException {
        byte[] buffer = new byte[(int) Math.min(WRITE_BUFFER_SIZE, length)];
        long written = 0;
        while (written < length) {
            int count = (int) Math.min(buffer.length, length - written);
            content.fill(fileIndex, start + written, buffer, count);
            ByteBuffer wrapped = ByteBuffer.wrap(buffer, 0, count);
            long position = start + written;
            while (wrapped.hasRemaining()) {
                position += channel.write(wrapped, position);
            }
            written += count;
        }
    }

    @Override
    public DirectorySummary summarize(String directory) throws IOException {
        Path start = path(directory);
        if (!Files.isDirectory(start)) {
            return new DirectorySummary(0, 0);
        }
        try (Stream<Path> files = Files.walk(start)) {
            List<Path> regular = files.filter(Files::isRegularFile).toList();
            long bytes = 0;
            for (Path file : regular) {
                bytes += Files.size(file);
            }
            return new DirectorySummary(regular.size(), bytes);
        }
    }

    @Override
    public void delete(String directory) throws IOException {
        deleteRecursively(path(directory));
    }

    static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                }
                catch (IOException exception) {
                    throw new UncheckedIOException(exception);
                }
            });
        }
        catch (UncheckedIOException failure) {
            throw failure.getCause();
        }
    }
}
