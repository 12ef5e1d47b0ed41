package io.roam.transfer;

import static java.util.Objects.requireNonNull;

import io.roam.storage.BufferPool;
import io.roam.storage.Checksum;
import io.roam.storage.ChecksumCalculator;
import io.roam.storage.FileEntry;
import io.roam.storage.FileIterator;
import io.roam.storage.Location;
import io.roam.storage.ResumableOutputStream;
import io.roam.storage.ResumableWrite;
import io.roam.storage.ServerSideCopy;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageErrors;
import io.roam.storage.StorageException;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageOutputStream;
import io.roam.storage.StorageRouter;
import io.roam.storage.WriteVerification;
import io.roam.storage.WriteVerification.StoredChecksum;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies a file or a directory tree from one storage location to another, whatever the backends.
 *
 * <p>A small file is streamed through a fixed-size buffer; a large one (at least two parts) is read
 * through several ranged reads at once into part buffers from one pool the engine shares, ahead of the
 * writer, and handed to the target in order (see {@link TransferOptions} for the memory this takes: it
 * does not grow with file size, and with file count only by the plan itself). A bounded number of files
 * are in flight at once. A SHA-256 digest is computed over the source's bytes in order while they are
 * read; it is what the manifest records. Every written copy is verified before the file counts as done:
 * where the target keeps a checksum it computed or checked itself from the bytes it received ({@link
 * WriteVerification}: S3's CRC32C or ETag, Azure's block MD5s, GCS's crc32c), the engine computes the
 * same checksum over the source's bytes as they are read and compares the two, and a copy whose stored
 * checksum differs fails verification; elsewhere (local disks, SFTP, HDFS, or an object without a
 * comparable checksum), the copy is read back in full (in parts too) and checked against the SHA-256.
 * Either way a target that stores other bytes than the source's is caught, and a copy known to be wrong
 * is deleted. Failures are classified once by
 * {@link StorageErrors} and retried by the {@link RetryPolicy} only when retryable. When source and
 * target are served by one file system with the {@link ServerSideCopy} capability, the provider copies
 * the bytes itself and the engine reads both sides afterwards to digest and verify.
 *
 * <p><b>Incremental copies.</b> A file already at the target with the same content is not written
 * again, so re-running a finished transfer writes no bytes. Sameness is decided safely: the sizes must
 * be equal, and then the target's stored checksum ({@link WriteVerification}) must be the one computed
 * while reading the source, or, where the target keeps none, the SHA-256 of the source and of the target,
 * each read in full through the same buffer, must be equal. A skipped file therefore still costs a read of
 * the source (for the digest its manifest entry records) and, without a stored checksum, of the target,
 * but no write, and its {@link CopiedFile} is exactly what copying it would have returned. Native checksums ({@link FileEntry#nativeChecksum()}) only ever
 * prove a difference, never sameness: when both sides report one of the same algorithm and the values
 * differ, the file is copied without reading either side first. Equal native values are not trusted,
 * because some are set by the uploading client and can be stale (a stored checksum of {@link
 * WriteVerification} never is), and the source has to be read for its SHA-256 in any case. A wrong
 * native checksum can thus only cause a needless copy, never a wrongly skipped file.
 *
 * <p><b>Resume after a crash.</b> When the target file system can continue an unfinished write ({@link
 * ResumableWrite}: S3 multipart uploads, Azure staged blocks), every file is written that way. A request
 * redelivered after its worker died thus skips the files finished before (incremental copies), and within
 * the file that was in flight sends only the parts the target does not already hold with the same bytes;
 * the source is still read in full, for its digest, and the copy is verified as always. A file whose copy
 * failed with a retryable error is continued the same way by its retry: the failed write is abandoned
 * ({@link ResumableOutputStream#abandon()}), not aborted, so its stored parts are kept. {@link
 * TransferProgressTracker#partsResumed()} and {@link #partsResumed()} count what was reused.
 *
 * <p><b>Cancellation.</b> An execution given a {@link TransferCancellation} checks it before every file
 * and between buffers of every read and write. Once it is cancelled no new file starts, every write in
 * flight is aborted ({@link StorageOutputStream#abort()}, so no partial file is published) or, when the
 * transfer is {@linkplain TransferCancellation#handOver() handed over} to another run, a resumable write
 * is abandoned instead ({@link ResumableOutputStream#abandon()}: nothing is published either, and the run
 * that continues the transfer reuses its stored parts), and {@link
 * #execute(TransferPlan, TransferProgressTracker, TransferCancellation)} throws a {@link
 * TransferCancelledException} after every file in flight has stopped. Files completed before the
 * cancellation stay at the target. A file whose copy was published just before the cancellation, while
 * it was being read back for verification, stays too, complete but unverified; it is in no result, and
 * a re-run compares it in full before skipping it. A file waiting to be retried notices the
 * cancellation when its backoff ends.
 */
public final class TransferEngine {

    private final StorageRouter router;
    private final TransferOptions options;
    private final OrderedFileReader reader;
    /** The buffers files stream through, one per file in flight, reused by the next file. */
    private final BufferPool streamBuffers = new BufferPool(BufferPool.DEFAULT_RETAINED_BYTES);
    private final AtomicLong partsResumed = new AtomicLong();
    private final AtomicLong bytesResumed = new AtomicLong();

    public TransferEngine(StorageRouter router, TransferOptions options) {
        this.router = requireNonNull(router, "router is null");
        this.options = requireNonNull(options, "options is null");
        this.reader = new OrderedFileReader(new PartBuffers(options.partSize(), options.bufferedParts()), options.readsPerFile());
    }

    /**
     * The parts of files that writes, since this engine was created, did not send because an unfinished
     * earlier write (of a worker that died) had stored them with the same bytes.
     */
    public long partsResumed() {
        return partsResumed.get();
    }

    /** The bytes of the {@linkplain #partsResumed() resumed parts}. */
    public long bytesResumed() {
        return bytesResumed.get();
    }

    /**
     * Finds the files to copy. A source ending in {@code /} is a directory; a source without one is a
     * file when a file exists there, and otherwise a directory when files exist under it. When the
     * source is a directory the target is one too; when the source is a file and the target ends in
     * {@code /}, the file keeps its name inside the target directory.
     *
     * @throws SourceNotFoundException when nothing exists at the source
     * @throws StorageException of kind {@link StorageErrorKind#INVALID_LOCATION} when no profile serves a location, or
     *     when the target is the source or lies inside it
     */
    public TransferPlan plan(Location source, Location target) {
        StorageFileSystem sourceFileSystem = router.fileSystem(source);
        router.fileSystem(target);
        if (!source.isDirectory()) {
            Optional<FileEntry> file = options.retryPolicy().run(() -> sourceFileSystem.stat(source));
            if (file.isPresent()) {
                Location fileTarget = target.isDirectory() ? target.resolve(source.fileName()) : target;
                if (source.contains(fileTarget)) {
                    throw new StorageException(StorageErrorKind.INVALID_LOCATION, "cannot copy '%s' to '%s': it is the source itself"
                            .formatted(source, target));
                }
                return new TransferPlan(source, fileTarget,
                        List.of(new FileCopy(source.fileName(), source, fileTarget, file.get().size())));
            }
        }
        Location sourceDirectory = source.asDirectory();
        Location targetDirectory = target.asDirectory();
        if (sourceDirectory.contains(targetDirectory)) {
            // Each copy would be listed as source by the next, one level deeper.
            throw new StorageException(StorageErrorKind.INVALID_LOCATION, "cannot copy '%s' to '%s': the target is the source or lies inside it"
                    .formatted(source, target));
        }
        List<FileCopy> files;
        try {
            files = options.retryPolicy().run(() -> listFiles(sourceFileSystem, sourceDirectory, targetDirectory));
        }
        catch (StorageException failure) {
            if (failure.kind() == StorageErrorKind.NOT_FOUND) {
                // Its bucket or container is missing.
                throw new SourceNotFoundException("source '" + source + "' does not exist: " + failure.getMessage(), failure);
            }
            throw failure;
        }
        if (files.isEmpty()) {
            throw new SourceNotFoundException("source '" + source + "' does not exist: no file there and no files under it", null);
        }
        return new TransferPlan(sourceDirectory, targetDirectory, files);
    }

    /**
     * Copies every file of the plan and verifies every written copy, skipping the files already at the
     * target with the same content. Returns the copied files sorted by relative path.
     *
     * @throws StorageException the classified failure of the first file that could not be copied;
     *     files still in flight are finished or abandoned before this returns
     */
    public List<CopiedFile> execute(TransferPlan plan, TransferProgressTracker tracker) {
        return execute(plan, tracker, new TransferCancellation());
    }

    /**
     * Like {@link #execute(TransferPlan, TransferProgressTracker)}, and stops when {@code cancellation}
     * is cancelled before every file has been copied.
     *
     * @throws TransferCancelledException when the transfer was cancelled; every write in flight has
     *     been aborted before this returns, and the files completed before stay at the target
     * @throws StorageException the classified failure of the first file that could not be copied;
     *     files still in flight are finished or abandoned before this returns
     */
    public List<CopiedFile> execute(TransferPlan plan, TransferProgressTracker tracker, TransferCancellation cancellation) {
        requireNonNull(plan, "plan is null");
        requireNonNull(tracker, "tracker is null");
        requireNonNull(cancellation, "cancellation is null");
        tracker.planned(plan);
        StorageFileSystem sourceFileSystem = router.fileSystem(plan.source());
        StorageFileSystem targetFileSystem = router.fileSystem(plan.target());
        TargetListing targets = TargetListing.of(plan, targetFileSystem, options.retryPolicy());
        Semaphore filesInFlight = new Semaphore(options.concurrentFiles());
        List<Future<CopiedFile>> results = new ArrayList<>(plan.files().size());
        // Set before the failed file's permit is released, so that no file is started after it; a flag
        // rather than a look at every result so far, which made 100,000 files quadratic.
        AtomicBoolean anyFailed = new AtomicBoolean();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (FileCopy file : plan.files()) {
                acquire(filesInFlight);
                if (cancellation.isCancelled() || anyFailed.get()) {
                    break;
                }
                results.add(executor.submit(() -> {
                    try {
                        return options.retryPolicy().run(
                                () -> transferFile(file, sourceFileSystem, targetFileSystem, targets, tracker, cancellation));
                    }
                    catch (Exception | Error failure) {
                        anyFailed.set(true);
                        throw failure;
                    }
                    finally {
                        filesInFlight.release();
                    }
                }));
            }
            List<CopiedFile> copied = collect(results, executor);
            if (copied.size() < plan.files().size()) {
                throw new TransferCancelledException("the transfer was cancelled after " + copied.size() + " of "
                        + plan.files().size() + " files");
            }
            return copied;
        }
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

    private CopiedFile transferFile(FileCopy file, StorageFileSystem sourceFileSystem, StorageFileSystem targetFileSystem,
            TargetListing targets, TransferProgressTracker tracker, TransferCancellation cancellation) throws IOException {
        cancellation.throwIfCancelled();
        byte[] buffer = streamBuffers.take(options.bufferSize());
        try {
            Optional<CopiedFile> unchanged = unchangedAtTarget(file, targets.entry(file), sourceFileSystem, targetFileSystem, buffer, cancellation);
            if (unchanged.isPresent()) {
                tracker.fileSkipped(unchanged.get().size());
                return unchanged.get();
            }
            if (sourceFileSystem == targetFileSystem && targetFileSystem instanceof ServerSideCopy serverSideCopy) {
                return copyOnServerAndVerify(file, serverSideCopy, targetFileSystem, tracker, cancellation, buffer);
            }
            return copyAndVerify(file, sourceFileSystem, targetFileSystem, tracker, cancellation, buffer);
        }
        finally {
            streamBuffers.release(buffer);
        }
    }

    /**
     * Within one file system that can copy by itself (one S3 endpoint, Azure account or GCS project),
     * the bytes do not pass through the engine on their way; both sides are still read afterwards, for
     * the source's digest and to verify the copy against it. A cancellation stops the provider's copy
     * between its requests, publishing nothing.
     */
    private CopiedFile copyOnServerAndVerify(FileCopy file, ServerSideCopy serverSideCopy, StorageFileSystem fileSystem,
            TransferProgressTracker tracker, TransferCancellation cancellation, byte[] buffer) throws IOException {
        cancellation.throwIfCancelled();
        if (!serverSideCopy.copy(file.source(), file.target(), cancellation::isCancelled)) {
            throw cancellation.stopped();
        }
        ChecksumCalculator sourceReadBackChecksum = ChecksumCalculator.crc32c();
        Content source = read(fileSystem, file.source(), currentSize(fileSystem, file.source()), buffer, cancellation,
                Optional.of(sourceReadBackChecksum));
        verifyByReadingBack(file, fileSystem, source.size(), sourceReadBackChecksum.value(), ChecksumCalculator.crc32c(), buffer, cancellation);
        tracker.bytesCopied(source.size());
        tracker.fileCompleted();
        return new CopiedFile(file.relativePath(), source.size(), source.digest());
    }

    /** The file as copying it would report it, when the target already holds the same content; empty otherwise. */
    private Optional<CopiedFile> unchangedAtTarget(FileCopy file, Optional<FileEntry> existing, StorageFileSystem sourceFileSystem,
            StorageFileSystem targetFileSystem, byte[] buffer, TransferCancellation cancellation) throws IOException {
        if (existing.isEmpty() || existing.get().size() != file.size()) {
            return Optional.empty();
        }
        if (existing.get().nativeChecksum().isPresent()
                && nativeChecksumsDiffer(sourceFileSystem.stat(file.source()), existing.get())) {
            return Optional.empty();
        }
        Optional<ChecksumCalculator> storedChecksum = checksumOfWrite(targetFileSystem, file.size());
        Content source;
        try {
            source = read(sourceFileSystem, file.source(), file.size(), buffer, cancellation, storedChecksum);
        }
        catch (SourceChangedException grownSincePlanned) {
            // Not the size the target has: copy, which reads the source at its size now.
            return Optional.empty();
        }
        Optional<Boolean> matchesStoredChecksum = storedChecksum.flatMap(expected -> matchesStoredChecksum(
                ((WriteVerification) targetFileSystem).storedChecksum(file.target()), source.size(), expected.value()));
        if (matchesStoredChecksum.isPresent()) {
            return matchesStoredChecksum.get()
                    ? Optional.of(new CopiedFile(file.relativePath(), source.size(), source.digest()))
                    : Optional.empty();
        }
        Content target;
        try {
            target = read(targetFileSystem, file.target(), existing.get().size(), buffer, cancellation);
        }
        catch (IOException | StorageException failure) {
            StorageErrorKind kind = StorageErrors.classify(failure).kind();
            if (kind != StorageErrorKind.NOT_FOUND && !(failure instanceof SourceChangedException)) {
                throw failure;
            }
            // Deleted or rewritten since it was looked at: nothing to skip, so copy.
            return Optional.empty();
        }
        return source.equals(target)
                ? Optional.of(new CopiedFile(file.relativePath(), source.size(), source.digest()))
                : Optional.empty();
    }

    /** Whether both files have a native checksum of the same algorithm, with different values. */
    private static boolean nativeChecksumsDiffer(Optional<FileEntry> source, FileEntry target) {
        Optional<Checksum> sourceChecksum = source.flatMap(FileEntry::nativeChecksum);
        Optional<Checksum> targetChecksum = target.nativeChecksum();
        return sourceChecksum.isPresent() && targetChecksum.isPresent()
                && sourceChecksum.get().algorithm().equals(targetChecksum.get().algorithm())
                && !sourceChecksum.get().value().equals(targetChecksum.get().value());
    }

    /**
     * Streams the source into the target, digesting it on the way, then verifies the copy. A large source
     * is read in parts, ahead of the writer (see {@link OrderedFileReader}); the target backend uploads
     * what it is given in parts of its own, several at once. A target that can resume an unfinished write
     * ({@link ResumableWrite}) is written that way, so that after a crash only the parts it lacks are sent.
     */
    private CopiedFile copyAndVerify(FileCopy file, StorageFileSystem sourceFileSystem, StorageFileSystem targetFileSystem,
            TransferProgressTracker tracker, TransferCancellation cancellation, byte[] buffer) throws IOException {
        // The size now, rather than when the plan was made: parts are cut by it.
        long expectedSize = reader.readsInParts(file.size()) ? currentSize(sourceFileSystem, file.source()) : file.size();
        MessageDigest sourceDigest = sha256();
        // The checksum a target keeps, computed from the bytes written to compare with its answer; for a
        // target that keeps none, a CRC32C to compare the copy with when it is read back: a small fraction of
        // the SHA-256's cost, which would otherwise be computed a second time over every byte. A target that
        // keeps one is read back, when its answer lacks it, with that same checksum.
        ChecksumCalculator writtenChecksum = checksumOfWrite(targetFileSystem, expectedSize).orElseGet(ChecksumCalculator::crc32c);
        long[] copiedBytes = {0};
        StorageOutputStream output = targetFileSystem instanceof ResumableWrite resumable
                ? resumable.openResumableWrite(file.target(), expectedSize)
                : targetFileSystem.openWrite(file.target());
        byte[] sha256;
        try {
            try {
                reader.read(sourceFileSystem, file.source(), expectedSize, buffer, cancellation, (bytes, length) -> {
                    sourceDigest.update(bytes, 0, length);
                    writtenChecksum.update(bytes, 0, length);
                    output.write(bytes, 0, length);
                    copiedBytes[0] += length;
                    tracker.bytesCopied(length);
                });
            }
            catch (IOException | RuntimeException failure) {
                stopWriting(output, failure, cancellation);
                throw failure;
            }
            sha256 = sourceDigest.digest();
            // Spares a target that would hash the same bytes again (S3 signing a small object's payload).
            output.offerContentSha256(sha256);
            output.close();
        }
        catch (IOException | RuntimeException failure) {
            // The attempt's bytes will be counted again by the next one.
            tracker.bytesCopied(-copiedBytes[0]);
            throw failure;
        }
        if (output instanceof ResumableOutputStream resumed && resumed.partsResumed() > 0) {
            tracker.partsResumed(resumed.partsResumed(), resumed.bytesResumed());
            partsResumed.addAndGet(resumed.partsResumed());
            bytesResumed.addAndGet(resumed.bytesResumed());
        }
        Checksum digest = Checksum.sha256(sha256);
        long writtenSize = copiedBytes[0];
        // The answer to the upload usually carries what the target stored; otherwise ask for it.
        Checksum expectedChecksum = writtenChecksum.value();
        Optional<Boolean> matchesStoredChecksum = targetFileSystem instanceof WriteVerification verification
                ? matchesStoredChecksum(output.storedChecksum().or(() -> verification.storedChecksum(file.target())), writtenSize, expectedChecksum)
                : Optional.empty();
        if (matchesStoredChecksum.isEmpty()) {
            ChecksumCalculator actualChecksum = checksumOfWrite(targetFileSystem, writtenSize).orElseGet(ChecksumCalculator::crc32c);
            verifyByReadingBack(file, targetFileSystem, writtenSize, expectedChecksum, actualChecksum, buffer, cancellation);
        }
        else if (!matchesStoredChecksum.get()) {
            failVerification(file, targetFileSystem, "its stored checksum is not that of the " + writtenSize + " bytes written");
        }
        tracker.fileCompleted();
        return new CopiedFile(file.relativePath(), copiedBytes[0], digest);
    }

    /**
     * Never publishes part of a file: the target keeps what it had. A resumable write leaves the parts it
     * stored, so that the next attempt sends only the rest, when there will be one: after a failure that
     * will be retried, or when the transfer is {@linkplain TransferCancellation#handOver() handed over} to
     * another run. After any other failure, or a cancellation, they are discarded; a cancellation decides
     * even when the failure it caused looks retryable (a thread interrupted while it stopped).
     */
    private static void stopWriting(StorageOutputStream output, Exception failure, TransferCancellation cancellation) {
        boolean continuedLater = cancellation.isCancelled()
                ? cancellation.isHandedOver()
                : StorageErrors.classify(failure).retryable();
        if (output instanceof ResumableOutputStream resumable && continuedLater) {
            resumable.abandon();
        }
        else {
            output.abort();
        }
    }

    /**
     * Reads the copy back and compares its size and checksum (a CRC32C, or the one the target keeps) with
     * those of the bytes written. Such checksums detect the accidental corruption verification is for, as the
     * stores' own checks do; the SHA-256 of the manifest is the source's, computed as it was read.
     */
    private void verifyByReadingBack(FileCopy file, StorageFileSystem targetFileSystem, long expectedSize, Checksum expectedChecksum,
            ChecksumCalculator actualChecksum, byte[] buffer, TransferCancellation cancellation) throws IOException {
        long actualSize;
        try {
            actualSize = reader.read(targetFileSystem, file.target(), expectedSize, buffer, cancellation,
                    (bytes, length) -> actualChecksum.update(bytes, 0, length));
        }
        catch (SourceChangedException longerThanWritten) {
            failVerification(file, targetFileSystem, "expected " + expectedSize + " bytes, read back more");
            return;
        }
        Checksum actual = actualChecksum.value();
        if (actualSize != expectedSize || !actual.equals(expectedChecksum)) {
            failVerification(file, targetFileSystem, "expected " + expectedSize + " bytes with " + expectedChecksum + ", read back "
                    + actualSize + " bytes with " + actual);
        }
    }

    private static void failVerification(FileCopy file, StorageFileSystem targetFileSystem, String reason) {
        // A copy known to be wrong must not be mistaken for a good one later.
        targetFileSystem.delete(file.target());
        throw new VerificationFailedException("the copy at '" + file.target() + "' does not match its source: " + reason);
    }

    /** A calculator of the checksum the target keeps for a file of that size, when it keeps one ({@link WriteVerification}). */
    private static Optional<ChecksumCalculator> checksumOfWrite(StorageFileSystem targetFileSystem, long size) {
        return targetFileSystem instanceof WriteVerification verification
                ? Optional.of(verification.checksumOfWrite(size))
                : Optional.empty();
    }

    /**
     * Whether what the target keeps for a file is the size and checksum expected; empty when it keeps no
     * checksum of that algorithm for it (written by another tool, encrypted), so that only reading it can tell.
     */
    private static Optional<Boolean> matchesStoredChecksum(Optional<StoredChecksum> stored, long size, Checksum expected) {
        if (stored.isEmpty() || !stored.get().checksum().algorithm().equals(expected.algorithm())) {
            return Optional.empty();
        }
        return Optional.of(stored.get().equals(new StoredChecksum(size, expected)));
    }

    /** Reads a whole file, stopping at the first buffer after a cancellation. */
    private Content read(StorageFileSystem fileSystem, Location file, long expectedSize, byte[] buffer,
            TransferCancellation cancellation) throws IOException {
        return read(fileSystem, file, expectedSize, buffer, cancellation, Optional.empty());
    }

    /** Reads a whole file, giving its bytes to another checksum calculator too. */
    private Content read(StorageFileSystem fileSystem, Location file, long expectedSize, byte[] buffer,
            TransferCancellation cancellation, Optional<ChecksumCalculator> alsoComputed) throws IOException {
        MessageDigest digest = sha256();
        long size = reader.read(fileSystem, file, expectedSize, buffer, cancellation, (bytes, length) -> {
            digest.update(bytes, 0, length);
            alsoComputed.ifPresent(checksum -> checksum.update(bytes, 0, length));
        });
        return new Content(size, Checksum.sha256(digest.digest()));
    }

    private static long currentSize(StorageFileSystem fileSystem, Location file) {
        return fileSystem.stat(file)
                .orElseThrow(() -> new StorageException(StorageErrorKind.NOT_FOUND, "cannot read '" + file + "': no such file"))
                .size();
    }

    /** What was read from a file: its length and SHA-256. */
    private record Content(long size, Checksum digest) {
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
        return ChecksumCalculator.messageDigest("SHA-256");
    }
}
