package io.roam.storage.azure;

import static java.util.Objects.checkFromIndexSize;

import com.azure.core.http.rest.Response;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.Block;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import io.roam.storage.ChecksumCalculator;
import io.roam.storage.Location;
import io.roam.storage.ResumableOutputStream;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;
import io.roam.storage.BufferPool;
import io.roam.storage.WriteVerification.StoredChecksum;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Writes a block blob: the bytes are cut into blocks of a fixed size, each staged (Put Block) with its
 * MD5 for the service to check, while the next one fills; {@code close} commits the block list (Put Block
 * List), which makes the blob appear, or replace the previous one, as a whole. A blob that fits in one
 * block is sent with a single Put Blob instead ({@link #isSentWhole}), whose MD5 the service checks too.
 * {@link BlockBlobChecksums} derives from this what the service checked, to verify a write without reading
 * it back.
 *
 * <p>Memory is bounded: at most {@code uploadConcurrency} blocks are in flight plus the one filling, each
 * at most {@code blockSize} bytes. A small file only takes a buffer that holds what was written (a power of
 * two of at least 64 KiB); buffers come from and go back to the file system's {@link BufferPool}, so
 * that many small files do not allocate one each.
 *
 * <p>The MD5 of the whole content is stored as the blob's {@code Content-MD5}, so that {@code stat} and
 * listings report it as the native checksum.
 *
 * <p>Block ids name their content ({@link BlockIds#ofContent}: index and MD5). A {@linkplain #resuming
 * resuming} stream first lists the blob's uncommitted blocks (Get Block List), which an unfinished earlier
 * writer of the same bytes staged under the very ids this stream computes; a block whose id is listed with
 * the same size is not staged again, and the commit picks it up. The service checked each staged block's
 * MD5 on arrival, so an id is proof of the bytes it holds.
 *
 * <p>{@link #abort()} stops staging and commits nothing. The blocks already staged stay uncommitted: they
 * are invisible, count against no blob, and the service garbage-collects them (after a week, or when
 * another block list is committed to the same name). A failure of any request finishes the stream: later
 * calls fail, and {@code close} does nothing.
 */
final class BlockBlobOutputStream extends ResumableOutputStream {

    /** The service's limit of committed blocks per blob. */
    static final int MAXIMUM_BLOCKS = 50_000;
    private static final String CONTENT_TYPE = "application/octet-stream";

    private final BlockBlobClient blob;
    private final Location location;
    private final ExecutorService executor;
    private final int blockSize;
    private final BufferPool sharedBuffers;
    private final int uploadConcurrency;
    private final boolean resume;
    /** The sizes of the uncommitted blocks staged earlier, by id; read at the first block when resuming. */
    private Map<String, Long> stagedBlocks;
    /** Written by the writing thread only; volatile for readers on other threads. */
    private volatile int partsResumed;
    private volatile long bytesResumed;
    private final List<String> blockIds = new ArrayList<>();
    private final Deque<Staging> inFlight = new ArrayDeque<>();
    private final MessageDigest contentDigest = md5();
    /** The MD5 of the MD5s of the blocks, in order, and the bytes in them: the checksum of a block list. */
    private final MessageDigest blockDigests = md5();
    private long bytesInBlocks;
    /** What the service keeps, once the blob is written. */
    private volatile Optional<StoredChecksum> storedChecksum = Optional.empty();

    private byte[] buffer = new byte[0];
    private int buffered;
    /** A block buffer whose staging has completed, kept to fill next. */
    private byte[] spare;
    private boolean finished;

    private record Staging(Future<?> request, byte[] buffer) {}

    private BlockBlobOutputStream(BlockBlobClient blob, Location location, ExecutorService executor, int blockSize, int uploadConcurrency,
            BufferPool sharedBuffers, boolean resume) {
        this.blob = blob;
        this.location = location;
        this.executor = executor;
        this.blockSize = blockSize;
        this.sharedBuffers = sharedBuffers;
        this.uploadConcurrency = uploadConcurrency;
        this.resume = resume;
    }

    /** A stream that stages every block. */
    static BlockBlobOutputStream fresh(BlockBlobClient blob, Location location, ExecutorService executor, int blockSize, int uploadConcurrency,
            BufferPool sharedBuffers) {
        return new BlockBlobOutputStream(blob, location, executor, blockSize, uploadConcurrency, sharedBuffers, false);
    }

    /** A stream that does not stage again the blocks an unfinished earlier writer staged with the same bytes. */
    static BlockBlobOutputStream resuming(BlockBlobClient blob, Location location, ExecutorService executor, int blockSize,
            int uploadConcurrency, BufferPool sharedBuffers) {
        return new BlockBlobOutputStream(blob, location, executor, blockSize, uploadConcurrency, sharedBuffers, true);
    }

    /**
     * Whether a blob of {@code size} bytes is sent whole, with one Put Blob, rather than as a block list:
     * a block is staged only once it is full and more bytes follow, so a blob of at most one block (none
     * or exactly one included) never stages one, and {@link #close} sends it whole.
     */
    static boolean isSentWhole(long size, int blockSize) {
        return size <= blockSize;
    }

    /**
     * After {@link #close}: for a blob sent whole, the MD5 the service answered computing from the bytes;
     * for a block list, the one of the blocks committed, which the service checked as they were staged.
     * Either is what {@link AzureFileSystem#storedChecksum} reports then.
     */
    @Override
    public Optional<StoredChecksum> storedChecksum() {
        return storedChecksum;
    }

    @Override
    public int partsResumed() {
        return partsResumed;
    }

    @Override
    public long bytesResumed() {
        return bytesResumed;
    }

    @Override
    public void write(int value) throws IOException {
        write(new byte[] {(byte) value}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        checkFromIndexSize(offset, length, bytes.length);
        requireUnfinished();
        try {
            int written = 0;
            while (written < length) {
                if (buffered == blockSize) {
                    stageBufferedBlock();
                }
                ensureCapacity(Math.min(blockSize, buffered + length - written));
                int count = Math.min(length - written, buffer.length - buffered);
                System.arraycopy(bytes, offset + written, buffer, buffered, count);
                buffered += count;
                written += count;
            }
        }
        catch (IOException exception) {
            throw fail(exception);
        }
        catch (RuntimeException exception) {
            // The file system was closed under the stream (its executor refuses work), or the SDK failed.
            throw fail(new IOException(AzureErrors.classify("write", location, exception)));
        }
    }

    /** Nothing is sent before a block is full: a flushed but unclosed write stays invisible anyway. */
    @Override
    public void flush() throws IOException {
        requireUnfinished();
    }

    @Override
    public void close() throws IOException {
        if (finished) {
            return;
        }
        try {
            if (blockIds.isEmpty()) {
                putBlob();
            }
            else {
                if (buffered > 0) {
                    stageBufferedBlock();
                }
                while (!inFlight.isEmpty()) {
                    await(inFlight.removeFirst());
                }
                blob.commitBlockListWithResponse(
                        new BlockBlobCommitBlockListOptions(blockIds).setHeaders(headers(contentDigest.digest())), null, Context.NONE);
                // Committed: the blob is exactly these blocks, each checked by the service when staged.
                storedChecksum = Optional.of(new StoredChecksum(bytesInBlocks, BlockBlobChecksums.ofBlockList(blockDigests.digest(), blockIds.size())));
            }
        }
        catch (IOException exception) {
            throw fail(exception);
        }
        catch (RuntimeException exception) {
            throw fail(new IOException(AzureErrors.classify("write", location, exception)));
        }
        release();
    }

    @Override
    public void abort() {
        if (finished) {
            return;
        }
        for (Staging staging : inFlight) {
            staging.request().cancel(true);
        }
        release();
    }

    /** As {@link #abort()}: an aborted write already leaves its staged blocks, uncommitted, to be resumed. */
    @Override
    public void abandon() {
        abort();
    }

    /** The whole content in one request; for an empty file too. */
    private void putBlob() {
        byte[] contentMd5 = digest(buffer, buffered);
        Response<BlockBlobItem> response = blob.uploadWithResponse(new BlockBlobSimpleUploadOptions(BinaryData.fromByteBuffer(ByteBuffer.wrap(buffer, 0, buffered)))
                        .setContentMd5(contentMd5)
                        .setHeaders(headers(contentMd5)),
                null, Context.NONE);
        // The service answers with the MD5 it computed from the bytes it received.
        long size = buffered;
        storedChecksum = AzureFileSystem.checksum(response.getValue().getContentMd5()).map(checksum -> new StoredChecksum(size, checksum));
    }

    private void stageBufferedBlock() throws IOException {
        if (blockIds.size() == MAXIMUM_BLOCKS) {
            throw new IOException(new StorageException(StorageErrorKind.FATAL,
                    "cannot write '%s': it exceeds the %d blocks of a block blob; raise the profile's %s above %d bytes"
                            .formatted(location, MAXIMUM_BLOCKS, AzureSettings.BLOCK_SIZE, blockSize)));
        }
        reclaimCompletedBlocks();
        if (inFlight.size() == uploadConcurrency) {
            spare = await(inFlight.removeFirst());
        }
        byte[] block = buffer;
        int length = buffered;
        contentDigest.update(block, 0, length);
        byte[] blockMd5 = digest(block, length);
        blockDigests.update(blockMd5);
        bytesInBlocks += length;
        String blockId = BlockIds.ofContent(blockIds.size(), blockMd5);
        if (stagedEarlier(blockId, length)) {
            partsResumed++;
            bytesResumed += length;
            blockIds.add(blockId);
            buffered = 0;
            return;
        }
        BlockBlobStageBlockOptions options = new BlockBlobStageBlockOptions(blockId, BinaryData.fromByteBuffer(ByteBuffer.wrap(block, 0, length)))
                .setContentMd5(blockMd5);
        inFlight.addLast(new Staging(executor.submit(() -> blob.stageBlockWithResponse(options, null, Context.NONE)), block));
        blockIds.add(blockId);
        buffer = spare == null ? sharedBuffers.take(blockSize) : spare;
        spare = null;
        buffered = 0;
    }

    /** Whether an earlier writer left this very block (same id, hence same bytes, and same size) staged. */
    private boolean stagedEarlier(String blockId, int length) {
        if (!resume) {
            return false;
        }
        if (stagedBlocks == null) {
            stagedBlocks = uncommittedBlocks();
        }
        Long size = stagedBlocks.get(blockId);
        return size != null && size == length;
    }

    private Map<String, Long> uncommittedBlocks() {
        try {
            return blob.listBlocks(BlockListType.UNCOMMITTED).getUncommittedBlocks().stream()
                    .collect(Collectors.toMap(Block::getName, Block::getSizeLong, (first, second) -> second));
        }
        catch (RuntimeException exception) {
            // No blob and no staged block under that name: nothing to resume.
            if (AzureErrors.statusCode(exception).filter(status -> status == 404).isPresent()) {
                return Map.of();
            }
            throw exception;
        }
    }

    /** Fails early when a staged block failed, and recycles the buffer of one that is done. */
    private void reclaimCompletedBlocks() throws IOException {
        while (!inFlight.isEmpty() && inFlight.peekFirst().request().isDone()) {
            spare = await(inFlight.removeFirst());
        }
    }

    /** Waits for a block to be staged and returns its buffer for reuse. */
    private byte[] await(Staging staging) throws IOException {
        try {
            staging.request().get();
            return staging.buffer();
        }
        catch (ExecutionException exception) {
            throw new IOException(AzureErrors.classify("write", location, exception.getCause()));
        }
        catch (InterruptedException exception) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("write to '%s' interrupted".formatted(location));
            interrupted.initCause(exception);
            throw interrupted;
        }
    }

    private void ensureCapacity(int capacity) {
        if (buffer.length < capacity) {
            buffer = sharedBuffers.grow(buffer, buffered, capacity, blockSize);
        }
    }

    private void requireUnfinished() throws IOException {
        if (finished) {
            throw new IOException("stream to '%s' is closed, aborted or failed".formatted(location));
        }
    }

    private IOException fail(IOException failure) {
        abort();
        return failure;
    }

    /** Gives back the buffers no request reads any more; those of blocks still in flight (after an abort) are left to the collector. */
    private void release() {
        finished = true;
        inFlight.clear();
        for (byte[] idle : new byte[][] {buffer, spare}) {
            if (idle != null && idle.length > 0) {
                sharedBuffers.release(idle);
            }
        }
        buffer = null;
        spare = null;
    }

    private static BlobHttpHeaders headers(byte[] contentMd5) {
        return new BlobHttpHeaders().setContentType(CONTENT_TYPE).setContentMd5(contentMd5);
    }

    private static byte[] digest(byte[] bytes, int length) {
        MessageDigest digest = md5();
        digest.update(bytes, 0, length);
        return digest.digest();
    }

    private static MessageDigest md5() {
        return ChecksumCalculator.messageDigest("MD5");
    }
}
