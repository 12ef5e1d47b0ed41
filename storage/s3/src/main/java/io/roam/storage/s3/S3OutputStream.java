package io.roam.storage.s3;

import static java.util.Objects.checkFromIndexSize;
import static java.util.Objects.requireNonNull;

import io.roam.storage.ChecksumCalculator;
import io.roam.storage.ResumableOutputStream;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;
import io.roam.storage.BufferPool;
import io.roam.storage.WriteVerification.StoredChecksum;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.CRC32C;

import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Writes one object: a single PutObject when everything written fits in one part, otherwise a
 * multipart upload whose parts are uploaded in the background while the writer fills the next one.
 * Either way the object appears only when {@link #close()} succeeds, atomically (S3 publishes a
 * PutObject or a CompleteMultipartUpload as a whole).
 *
 * <p>Memory is bounded: at most {@code upload-concurrency} parts in flight plus the one being filled.
 * The first buffer holds the first write (a power of two of at least 64 KiB, at most a part) and grows
 * from there, so small files do not cost a whole part and a file handed over whole is buffered without
 * copying it again; buffers come from and go back to the file system's {@link BufferPool}, so that
 * many small files do not allocate one each. To fit S3's limit of 10,000 parts, parts grow by the configured part size every 1,000 parts (8, 16, ... 80 MiB with the
 * default: objects up to about 430 GiB), up to 1 GiB.
 *
 * <p>Every part (or the single object) carries a CRC32C or an MD5 of its bytes, as configured, which
 * S3 checks before accepting it. A failure of any part, of the completion, or of the writer itself
 * aborts the multipart upload, so no part lingers; {@link #abort()} does the same on request, while
 * {@link #abandon()} leaves the upload and its stored parts for a resumed write to continue.
 *
 * <p>A {@linkplain #resuming resuming} stream, instead of starting a multipart upload, takes over the
 * newest unfinished one of exactly its key (ListMultipartUploads), if any, and lists its parts
 * (ListParts). Each part it would send is compared with the stored part of the same number: when the
 * sizes are equal and the stored ETag is the MD5 of the bytes just written (or, where the ETag is no MD5,
 * the stored CRC32C is theirs), the stored part is kept and not sent; otherwise it is sent, replacing
 * it. Stored parts beyond the end of what is written are left out of the completion. Taking over an
 * upload whose parts carry another checksum algorithm than the one configured would make the completion
 * fail, so such an upload is left alone and a new one started.
 */
final class S3OutputStream extends ResumableOutputStream {

    private static final int MAXIMUM_BUFFER_SIZE = 1024 * 1024 * 1024;
    static final int MAXIMUM_PARTS = 10_000;
    private static final int PARTS_PER_SIZE_STEP = 1_000;
    private static final String CONTENT_TYPE = "application/octet-stream";

    private final S3Client client;
    private final S3ObjectRequests objectRequests;
    private final S3Location target;
    private final S3Configuration configuration;
    private final BufferPool sharedBuffers;
    private final Semaphore uploadPermits;
    private final Queue<byte[]> freeBuffers = new ConcurrentLinkedQueue<>();
    private final List<Future<CompletedPart>> parts = new ArrayList<>();
    private final AtomicReference<Throwable> partFailure = new AtomicReference<>();
    private final boolean resume;
    private final AtomicInteger partsResumed = new AtomicInteger();
    private final AtomicLong bytesResumed = new AtomicLong();
    /** The parts an unfinished earlier upload stored, by part number; empty unless resuming one. */
    private Map<Integer, Part> storedParts = Map.of();

    private byte[] buffer;
    private int count;
    /** The SHA-256 of everything written, when the writer offered it. */
    private Optional<byte[]> contentSha256 = Optional.empty();
    /** Every byte written so far, in parts sent and in the buffer. */
    private long written;
    /** What S3 answered keeping, once the object is complete. */
    private volatile Optional<StoredChecksum> storedChecksum = Optional.empty();
    private String uploadId;
    private ExecutorService uploads;
    private boolean finished;
    /** Whether a failure finished this resuming stream and left the upload's parts for the caller to abort or abandon. */
    private boolean keptAfterFailure;

    private S3OutputStream(S3Client client, S3ObjectRequests objectRequests, S3Location target, S3Configuration configuration,
                           BufferPool sharedBuffers, boolean resume) {
        this.client = requireNonNull(client, "client is null");
        this.objectRequests = requireNonNull(objectRequests, "objectRequests is null");
        this.target = requireNonNull(target, "target is null");
        this.configuration = requireNonNull(configuration, "configuration is null");
        this.sharedBuffers = requireNonNull(sharedBuffers, "sharedBuffers is null");
        this.uploadPermits = new Semaphore(configuration.uploadConcurrency());
        this.resume = resume;
    }

    /** A stream that always starts a new upload. */
    static S3OutputStream fresh(S3Client client, S3ObjectRequests objectRequests, S3Location target, S3Configuration configuration,
                                BufferPool sharedBuffers) {
        return new S3OutputStream(client, objectRequests, target, configuration, sharedBuffers, false);
    }

    /** A stream that continues the newest unfinished multipart upload of its key, when one exists. */
    static S3OutputStream resuming(S3Client client, S3ObjectRequests objectRequests, S3Location target, S3Configuration configuration,
                                   BufferPool sharedBuffers) {
        return new S3OutputStream(client, objectRequests, target, configuration, sharedBuffers, true);
    }

    @Override
    public int partsResumed() {
        return partsResumed.get();
    }

    @Override
    public long bytesResumed() {
        return bytesResumed.get();
    }

    @Override
    public void write(int value) throws IOException {
        requireUnfinished();
        makeRoom(1);
        buffer[count++] = (byte) value;
        written++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        checkFromIndexSize(offset, length, bytes.length);
        requireUnfinished();
        int copied = 0;
        while (copied < length) {
            makeRoom(length - copied);
            int chunk = Math.min(length - copied, buffer.length - count);
            System.arraycopy(bytes, offset + copied, buffer, count, chunk);
            count += chunk;
            copied += chunk;
        }
        written += length;
    }

    /** Used when the object is sent in one request: its payload then need not be hashed again to be signed. */
    @Override
    public void offerContentSha256(byte[] sha256) {
        contentSha256 = Optional.of(sha256.clone());
    }

    @Override
    public void close() throws IOException {
        if (finished) {
            return;
        }
        try {
            if (uploadId == null) {
                putObject();
            }
            else {
                // The buffer is never empty here: a part is sent only when a byte follows it.
                submitPart();
                completeMultipartUpload();
            }
        }
        catch (IOException | RuntimeException exception) {
            throw discard(exception);
        }
        finished = true;
        release();
    }

    @Override
    public void abort() {
        if (!finished) {
            discard(new IOException("write to '%s' aborted".formatted(target.location())));
        }
        // A resumable stream keeps its parts when it fails (see discard); aborted, it discards them too.
        if (keptAfterFailure) {
            keptAfterFailure = false;
            S3MultipartUploads.abort(client, target, uploadId, null);
        }
    }

    /**
     * Leaves the multipart upload and its parts. Parts already handed to the uploads are finished first, so
     * that a retry re-sends at most the part that was being filled; a writer interrupted while it waits
     * stops them instead ({@link ExecutorService#close()}).
     */
    @Override
    public void abandon() {
        if (finished) {
            return;
        }
        finished = true;
        if (uploads != null) {
            uploads.close();
        }
        release();
    }

    /**
     * Makes room for at least one byte in the buffer, and for as many of the {@code wanted} bytes as it can
     * take: grows it up to the part size, then sends it as a part.
     */
    private void makeRoom(int wanted) throws IOException {
        if (buffer == null) {
            // A writer handing over a whole small file, or a whole part, at once gets one buffer that holds it.
            buffer = sharedBuffers.grow(null, 0, wanted, partSize(0));
        }
        else if (count == buffer.length) {
            int partSize = partSize(parts.size());
            if (buffer.length < partSize) {
                buffer = sharedBuffers.grow(buffer, count, (long) count + wanted, partSize);
            }
            else {
                try {
                    submitPart();
                }
                catch (IOException | RuntimeException exception) {
                    throw discard(exception);
                }
            }
        }
    }

    /** The size of the part at a zero-based index. */
    private int partSize(int index) {
        return partSize(configuration, index);
    }

    /** The size of the part of a zero-based index: the configured part size, growing every 1,000 parts. */
    static int partSize(S3Configuration configuration, int index) {
        long size = configuration.partSize() * (1 + index / PARTS_PER_SIZE_STEP);
        return (int) Math.min(size, MAXIMUM_BUFFER_SIZE);
    }

    private void submitPart() throws IOException {
        if (partFailure.get() != null) {
            throw failure("upload a part of", partFailure.get());
        }
        if (parts.size() == MAXIMUM_PARTS) {
            throw new StorageException(StorageErrorKind.FATAL, "cannot write '%s': more than %d parts; raise the profile's part-size"
                    .formatted(target.location(), MAXIMUM_PARTS));
        }
        if (uploadId == null) {
            startMultipartUpload();
        }
        try {
            uploadPermits.acquire();
        }
        catch (InterruptedException exception) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing '%s'".formatted(target.location()));
        }
        byte[] data = buffer;
        int length = count;
        int partNumber = parts.size() + 1;
        parts.add(uploads.submit(() -> {
            try {
                return uploadPart(partNumber, data, length);
            }
            catch (RuntimeException exception) {
                partFailure.compareAndSet(null, exception);
                throw exception;
            }
            finally {
                freeBuffers.offer(data);
                uploadPermits.release();
            }
        }));
        buffer = nextBuffer(partSize(parts.size()));
        count = 0;
    }

    private byte[] nextBuffer(int size) {
        for (byte[] free = freeBuffers.poll(); free != null; free = freeBuffers.poll()) {
            if (free.length == size) {
                return free;
            }
            sharedBuffers.release(free);
        }
        return sharedBuffers.take(size);
    }

    private void startMultipartUpload() {
        uploads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("roam-s3-upload-", 0).factory());
        if (resume && resumeUnfinishedUpload()) {
            return;
        }
        CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder()
                .bucket(target.bucket())
                .key(target.key())
                .contentType(CONTENT_TYPE);
        if (configuration.uploadChecksum() == S3Configuration.UploadChecksum.CRC32C) {
            request.checksumAlgorithm(ChecksumAlgorithm.CRC32_C);
        }
        uploadId = client.createMultipartUpload(request.build()).uploadId();
    }

    /**
     * Takes over the newest unfinished upload of the key and learns its parts; false when there is none,
     * or when the credentials may not list uploads or parts: resuming saves bytes, it is never required.
     */
    private boolean resumeUnfinishedUpload() {
        try {
            Optional<MultipartUpload> unfinished = newestResumableUpload();
            if (unfinished.isEmpty()) {
                return false;
            }
            storedParts = client.listPartsPaginator(request -> request.bucket(target.bucket()).key(target.key())
                            .uploadId(unfinished.get().uploadId()))
                    .parts().stream()
                    .collect(Collectors.toMap(Part::partNumber, Function.identity(), (first, second) -> second));
            uploadId = unfinished.get().uploadId();
            return true;
        }
        catch (S3Exception exception) {
            if (exception.statusCode() == 403) {
                return false;
            }
            throw exception;
        }
    }

    /** The newest unfinished upload of exactly this key whose parts this stream's checksums suit. */
    private Optional<MultipartUpload> newestResumableUpload() {
        String expectedAlgorithm = configuration.uploadChecksum() == S3Configuration.UploadChecksum.CRC32C
                ? ChecksumAlgorithm.CRC32_C.toString()
                : null;
        return client.listMultipartUploadsPaginator(request -> request.bucket(target.bucket()).prefix(target.key()))
                .uploads().stream()
                .filter(upload -> upload.key().equals(target.key()))
                // Stores that do not report the algorithm (S3-compatible ones) accept any completion.
                .filter(upload -> upload.checksumAlgorithmAsString() == null
                        || upload.checksumAlgorithmAsString().equals(expectedAlgorithm))
                .max(Comparator.comparing(upload -> upload.initiated() == null ? Instant.EPOCH : upload.initiated()));
    }

    private CompletedPart uploadPart(int partNumber, byte[] data, int length) {
        String crc32cOfData = configuration.uploadChecksum() == S3Configuration.UploadChecksum.CRC32C ? crc32c(data, length) : null;
        Part stored = storedParts.get(partNumber);
        if (stored != null && holdsExactly(stored, data, length, crc32cOfData)) {
            partsResumed.incrementAndGet();
            bytesResumed.addAndGet(length);
            return CompletedPart.builder().partNumber(partNumber).eTag(stored.eTag()).checksumCRC32C(crc32cOfData).build();
        }
        SdkHttpResponse response = objectRequests.uploadPart(target, uploadId, partNumber, data, length, checksumHeaders(crc32cOfData, data, length));
        return CompletedPart.builder().partNumber(partNumber).eTag(header(response, "ETag")).checksumCRC32C(crc32cOfData).build();
    }

    /**
     * Whether a stored part holds exactly these bytes: equal sizes, no stored CRC32C that differs from
     * theirs, and a stored ETag that is their MD5 (S3's ETag of a part uploaded without SSE-KMS) or else a
     * stored CRC32C equal to theirs. Size alone never suffices.
     */
    private static boolean holdsExactly(Part stored, byte[] data, int length, String crc32cOfData) {
        if (stored.size() == null || stored.size() != length) {
            return false;
        }
        String storedCrc32c = stored.checksumCRC32C();
        if (storedCrc32c != null && crc32cOfData != null && !storedCrc32c.equals(crc32cOfData)) {
            return false;
        }
        String eTag = stored.eTag() == null ? "" : stored.eTag().replace("\"", "").toLowerCase(Locale.ROOT);
        if (eTag.length() == 32 && HexFormat.of().formatHex(md5Digest(data, length)).equals(eTag)) {
            return true;
        }
        return storedCrc32c != null && storedCrc32c.equals(crc32cOfData != null ? crc32cOfData : crc32c(data, length));
    }

    private void completeMultipartUpload() throws IOException {
        List<CompletedPart> completed = new ArrayList<>(parts.size());
        for (Future<CompletedPart> part : parts) {
            try {
                completed.add(part.get());
            }
            catch (ExecutionException exception) {
                throw failure("upload a part of", exception.getCause());
            }
            catch (InterruptedException exception) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while writing '%s'".formatted(target.location()));
            }
        }
        CompleteMultipartUploadResponse response = client.completeMultipartUpload(CompleteMultipartUploadRequest.builder()
                .bucket(target.bucket())
                .key(target.key())
                .uploadId(uploadId)
                .multipartUpload(upload -> upload.parts(completed))
                .build());
        // A multipart upload cannot be encrypted with a customer key unless every part was: none here.
        reportStored(response.checksumCRC32C(), response.eTag(), response.serverSideEncryptionAsString(), null);
    }

    private void reportStored(String crc32c, String eTag, String serverSideEncryption, String customerKeyAlgorithm) {
        storedChecksum = S3StoredChecksums.reported(configuration.uploadChecksum(), crc32c, eTag, serverSideEncryption, customerKeyAlgorithm)
                .map(checksum -> new StoredChecksum(written, checksum));
    }

    @Override
    public Optional<StoredChecksum> storedChecksum() {
        return storedChecksum;
    }

    private void putObject() {
        byte[] data = buffer == null ? new byte[0] : buffer;
        String crc32cOfData = configuration.uploadChecksum() == S3Configuration.UploadChecksum.CRC32C ? crc32c(data, count) : null;
        SdkHttpResponse response = objectRequests.put(target, data, count, checksumHeaders(crc32cOfData, data, count), contentSha256);
        reportStored(header(response, "x-amz-checksum-crc32c"), header(response, "ETag"), header(response, "x-amz-server-side-encryption"),
                header(response, "x-amz-server-side-encryption-customer-algorithm"));
    }

    /** The header S3 checks the bytes of a part or object against: the given CRC32C, or their MD5, as configured. */
    private Map<String, String> checksumHeaders(String crc32cOfData, byte[] data, int length) {
        return switch (configuration.uploadChecksum()) {
            case CRC32C -> Map.of("x-amz-checksum-crc32c", crc32cOfData);
            case MD5 -> Map.of("Content-MD5", md5(data, length));
            case NONE -> Map.of();
        };
    }

    private static String header(SdkHttpResponse response, String name) {
        return response.firstMatchingHeader(name).orElse(null);
    }

    private static String crc32c(byte[] data, int length) {
        CRC32C checksum = new CRC32C();
        checksum.update(data, 0, length);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(Integer.BYTES).putInt((int) checksum.getValue()).array());
    }

    private static String md5(byte[] data, int length) {
        return Base64.getEncoder().encodeToString(md5Digest(data, length));
    }

    private static byte[] md5Digest(byte[] data, int length) {
        MessageDigest digest = ChecksumCalculator.messageDigest("MD5");
        digest.update(data, 0, length);
        return digest.digest();
    }

    private void requireUnfinished() throws IOException {
        if (finished) {
            throw new IOException("stream to '%s' is closed, aborted or failed".formatted(target.location()));
        }
    }

    private IOException failure(String operation, Throwable cause) {
        StorageException classified = S3Errors.classify(operation, target.location(), cause);
        return new IOException(classified.getMessage(), classified);
    }

    /**
     * Finishes the stream after a failure or an abort: stops the part uploads still running and releases
     * the buffers, and aborts the multipart upload — unless this stream resumes uploads and failed: then the
     * stored parts stay, and the caller decides, knowing whether it will retry: {@link #abort()} discards
     * them, {@link #abandon()} leaves them for the retry to continue from. Returns the failure, as an
     * {@link IOException} whose cause is classified.
     */
    private IOException discard(Exception failure) {
        finished = true;
        IOException result = failure instanceof IOException io && io.getCause() instanceof StorageException
                ? io
                : failure instanceof InterruptedIOException interrupted ? interrupted : failure("write", failure);
        if (uploads != null) {
            uploads.shutdownNow();
        }
        release();
        if (uploadId != null) {
            if (resume) {
                keptAfterFailure = true;
            }
            else {
                S3MultipartUploads.abort(client, target, uploadId, result);
            }
        }
        return result;
    }

    /** Waits for the part uploads to end, so none completes after the upload is aborted, and gives the buffers back. */
    private void release() {
        if (uploads != null) {
            uploads.close();
        }
        if (buffer != null) {
            sharedBuffers.release(buffer);
            buffer = null;
        }
        for (byte[] free = freeBuffers.poll(); free != null; free = freeBuffers.poll()) {
            sharedBuffers.release(free);
        }
    }
}
