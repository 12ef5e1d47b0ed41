package io.roam.transfer;

import static java.util.Objects.requireNonNull;

import io.roam.storage.Checksum;
import io.roam.storage.FileEntry;
import io.roam.storage.FileIterator;
import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageErrors;
import io.roam.storage.StorageException;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageOutputStream;
import io.roam.storage.StorageRouter;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Copies a file or a directory tree from one storage location to another, whatever the backends.
 *
 * <p>Every file is streamed through a fixed-size buffer (memory does not grow with file size), a
 * bounded number of files are in flight at once (memory does not grow with file count beyond the
 * plan itself), a SHA-256 digest is computed while reading the source, and every written copy is read
 * back and checked against that digest before the file counts as done. Failures are classified once by
 * {@link StorageErrors} and retried by the {@link RetryPolicy} only when retryable.
 */
public final class TransferEngine {

    private final StorageRouter router;
    private final TransferOptions options;

    public TransferEngine(StorageRouter router, TransferOptions options) {
        this.router = requireNonNull(router, "router is null");
        this.options = requireNonNull(options, "options is null");
    }

    /**
     * Finds the files to copy. A source ending in {@code /} is a directory; a source without one is a
     * file when a file exists there, and otherwise a directory when files exist under it. When the
     * source is a directory the target is one too; when the source is a file and the target ends in
     * {@code /}, the file keeps its name inside the target directory.
     *
     * @throws StorageException of kind {@link StorageErrorKind#NOT_FOUND} when nothing exists at the
     *     source, or of kind {@link StorageErrorKind#INVALID_LOCATION} when no profile serves a location
     */
    public TransferPlan plan(Location source, Location target) {
        StorageFileSystem sourceFileSystem = router.fileSystem(source);
        router.fileSystem(target);
        if (!source.isDirectory()) {
            Optional<FileEntry> file = options.retryPolicy().run(() -> sourceFileSystem.stat(source));
            if (file.isPresent()) {
                Location fileTarget = target.isDirectory() ? target.resolve(source.fileName()) : target;
                return new TransferPlan(source, fileTarget,
                        List.of(new FileCopy(source.fileName(), source, fileTarget, file.get().size())));
            }
        }
        Location sourceDirectory = asDirectory(source);
        Location targetDirectory = asDirectory(target);
        List<FileCopy> files = options.retryPolicy().run(() -> listFiles(sourceFileSystem, sourceDirectory, targetDirectory));
        if (files.isEmpty()) {
            throw new StorageException(StorageErrorKind.NOT_FOUND,
                    "source '" + source + "' does not exist: no file there and no files under it");
        }
        return new TransferPlan(sourceDirectory, targetDirectory, files);
    }

    /**
     * Copies every file of the plan and verifies every written copy. Returns the copied files sorted
     * by relative path.
     *
     * @throws StorageException the classified failure of the first file that could not be copied;
     *     files still in flight are finished or abandoned before this returns
     */
    public List<CopiedFile> execute(TransferPlan plan, TransferProgressTracker tracker) {
        requireNonNull(plan, "plan is null");
        requireNonNull(tracker, "tracker is null");
        tracker.planned(plan);
        StorageFileSystem sourceFileSystem = router.fileSystem(plan.source());
        StorageFileSystem targetFileSystem = router.fileSystem(plan.target());
        Semaphore filesInFlight = new Semaphore(options.concurrentFiles());
        List<Future<CopiedFile>> results = new ArrayList<>(plan.files().size());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (FileCopy file : plan.files()) {
                acquire(filesInFlight);
                results.add(executor.submit(() -> {
                    try {
                        return options.retryPolicy().run(() -> copyAndVerify(file, sourceFileSystem, targetFileSystem, tracker));
                    }
                    finally {
                        filesInFlight.release();
                    }
                }));
                if (anyFailed(results)) {
                    break;
                }
            }
            return collect(results, executor);
        }
    }

    private static boolean anyFailed(List<Future<CopiedFile>> results) {
        return results.stream().anyMatch(result -> result.state() == Future.State.FAILED);
    }

    private static List<CopiedFile> collect(List<Future<CopiedFile>> results, ExecutorService executor) {
        List<CopiedFile> copied = new ArrayList<>(results.size());
        for (Future<CopiedFile> result : results) {
            try {
                copied.add(result.get());
            }
            catch (ExecutionException failure) {
                executor.shutdownNow();
                throw StorageErrors.classify(failure.getCause());
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                executor.shutdownNow();
                throw StorageErrors.classify(interrupted);
            }
        }
        copied.sort(Comparator.comparing(CopiedFile::relativePath));
        return copied;
    }

    private CopiedFile copyAndVerify(FileCopy file, StorageFileSystem sourceFileSystem, StorageFileSystem targetFileSystem,
            TransferProgressTracker tracker) throws IOException {
        MessageDigest sourceDigest = sha256();
        long copiedBytes = 0;
        byte[] buffer = new byte[options.bufferSize()];
        try (InputStream input = sourceFileSystem.openRead(file.source(), 0)) {
            StorageOutputStream output = targetFileSystem.openWrite(file.target());
            try {
                for (int read = input.read(buffer); read >= 0; read = input.read(buffer)) {
                    sourceDigest.update(buffer, 0, read);
                    output.write(buffer, 0, read);
                    copiedBytes += read;
                    tracker.bytesCopied(read);
                }
            }
            catch (IOException | RuntimeException failure) {
                // Never publish part of a file: the target keeps what it had.
                output.abort();
                throw failure;
            }
            output.close();
        }
        catch (IOException | RuntimeException failure) {
            // The attempt's bytes will be counted again by the next one.
            tracker.bytesCopied(-copiedBytes);
            throw failure;
        }
        Checksum digest = Checksum.sha256(sourceDigest.digest());
        verify(file, targetFileSystem, copiedBytes, digest, buffer);
        tracker.fileCompleted();
        return new CopiedFile(file.relativePath(), copiedBytes, digest);
    }

    private static void verify(FileCopy file, StorageFileSystem targetFileSystem, long expectedSize, Checksum expectedDigest,
            byte[] buffer) throws IOException {
        MessageDigest targetDigest = sha256();
        long readBack = 0;
        try (InputStream written = targetFileSystem.openRead(file.target(), 0)) {
            for (int read = written.read(buffer); read >= 0; read = written.read(buffer)) {
                targetDigest.update(buffer, 0, read);
                readBack += read;
            }
        }
        Checksum actualDigest = Checksum.sha256(targetDigest.digest());
        if (readBack != expectedSize || !actualDigest.equals(expectedDigest)) {
            // A copy known to be wrong must not be mistaken for a good one later.
            targetFileSystem.delete(file.target());
            throw new VerificationFailedException("the copy at '" + file.target() + "' does not match its source: expected "
                    + expectedSize + " bytes with " + expectedDigest + ", read back " + readBack + " bytes with " + actualDigest);
        }
    }

    private static List<FileCopy> listFiles(StorageFileSystem fileSystem, Location sourceDirectory, Location targetDirectory) {
        List<FileCopy> files = new ArrayList<>();
        FileIterator listing = fileSystem.list(sourceDirectory);
        while (listing.hasNext()) {
            FileEntry entry = listing.next();
            String relativePath = sourceDirectory.relativePathOf(entry.location());
            files.add(new FileCopy(relativePath, entry.location(), targetDirectory.resolve(relativePath), entry.size()));
        }
        files.sort(Comparator.comparing(FileCopy::relativePath));
        return files;
    }

    private static Location asDirectory(Location location) {
        return location.isDirectory() ? location : Location.parse(location + "/");
    }

    private static void acquire(Semaphore semaphore) {
        try {
            semaphore.acquire();
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw StorageErrors.classify(interrupted);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java platform provides SHA-256", impossible);
        }
    }
}
