package io.roam.storage.azure;

import static java.util.Objects.requireNonNull;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobType;
import com.azure.storage.blob.models.Block;
import com.azure.storage.blob.models.BlockList;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.models.DeleteSnapshotsOptionType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobListBlocksOptions;
import com.azure.storage.blob.specialized.BlobInputStream;
import com.azure.storage.blob.specialized.BlockBlobClient;
import io.roam.storage.Checksum;
import io.roam.storage.ChecksumCalculator;
import io.roam.storage.FileEntry;
import io.roam.storage.FileIterator;
import io.roam.storage.Location;
import io.roam.storage.ResumableOutputStream;
import io.roam.storage.ResumableWrite;
import io.roam.storage.ServerSideCopy;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageOutputStream;
import io.roam.storage.StorageProfile;
import io.roam.storage.BufferPool;
import io.roam.storage.WriteVerification;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * A {@link StorageFileSystem} over the containers of one Azure storage account (Blob Storage, or ADLS Gen2
 * through its Blob endpoint), serving the roots of one storage profile.
 *
 * <p>Files are block blobs; a directory is a name prefix. Writes stage blocks and commit the block list on
 * close ({@link BlockBlobOutputStream}); reads download ranges of one ETag-consistent version; listings
 * are flat, page by page. ADLS Gen2 directory entries and {@code /}-terminated marker blobs are not files:
 * listings skip them and {@code stat} does not report them. Containers are not created: a missing
 * container fails with {@link StorageErrorKind#NOT_FOUND}, except for {@code delete}, which has nothing to
 * do.
 *
 * <p>Server-side copies stage the source's blocks from its URL (Put Block From URL) and commit them, so a
 * copy too appears as a whole; the service reads the source with a SAS signed for each request (account
 * key), the profile's SAS, or a bearer token of the same identity.
 *
 * <p>Written files are verified by the MD5s the service checked on upload ({@link WriteVerification}, see
 * {@link BlockBlobChecksums}): the blob's {@code Content-MD5} when it was sent whole, else the MD5s its
 * committed block ids name.
 *
 * <p>{@link #close()} stops the threads staging blocks: streams still writing afterwards fail.
 */
final class AzureFileSystem implements StorageFileSystem, ServerSideCopy, ResumableWrite, WriteVerification {

    /** The metadata by which ADLS Gen2 (and Hadoop's ABFS driver) marks a directory. */
    static final String DIRECTORY_MARKER_METADATA = "hdi_isfolder";

    /** The size of the ranges a read downloads ahead: the SDK's default. */
    private static final int READ_CHUNK_SIZE = 4 * 1024 * 1024;
    private static final String OPERATION_STORED_CHECKSUM = "read the stored checksum of";

    private final StorageProfile profile;
    private final AzureSettings settings;
    private final BlobServiceClient client;
    /** Stages blocks of writes and copies; virtual threads, because each waits on one blocking request. */
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final BufferPool uploadBuffers = new BufferPool(BufferPool.DEFAULT_RETAINED_BYTES);

    AzureFileSystem(StorageProfile profile, AzureSettings settings, BlobServiceClient client) {
        this.profile = requireNonNull(profile, "profile is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.client = requireNonNull(client, "client is null");
    }

    @Override
    public FileIterator list(Location directory) {
        requireNonNull(directory, "directory is null");
        if (!directory.isDirectory()) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION, "'%s' is not a directory: a location to list ends with '/'".formatted(directory));
        }
        AzureLocation azure = locate(directory);
        ListBlobsOptions options = new ListBlobsOptions()
                .setMaxResultsPerPage(settings.listPageSize())
                .setDetails(new BlobListDetails().setRetrieveMetadata(true));
        if (!azure.blobName().isEmpty()) {
            options.setPrefix(azure.blobName());
        }
        try {
            return new AzureFileIterator(directory, azure.blobName(),
                    client.getBlobContainerClient(azure.container()).listBlobs(options, null).iterator());
        }
        catch (RuntimeException exception) {
            throw AzureErrors.classify("list", directory, exception);
        }
    }

    @Override
    public Optional<FileEntry> stat(Location file) {
        return properties(file, locate(requireFile(file)), "stat")
                .map(properties -> new FileEntry(file, properties.getBlobSize(), properties.getLastModified().toInstant(), checksum(properties.getContentMd5())));
    }

    @Override
    public InputStream openRead(Location file, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset is negative: " + offset);
        }
        return read(file, new BlobRange(offset));
    }

    /** Downloads only the range asked for. */
    @Override
    public InputStream openRead(Location file, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset or length is negative: %d, %d".formatted(offset, length));
        }
        if (length == 0) {
            if (stat(file).isEmpty()) {
                throw notFound("read", file);
            }
            return InputStream.nullInputStream();
        }
        return read(file, new BlobRange(offset, length));
    }

    private InputStream read(Location file, BlobRange range) {
        AzureLocation azure = locate(requireFile(file));
        BlobInputStream stream;
        try {
            // Opening downloads the first range and locks the read to that version's ETag.
            stream = blob(azure).openInputStream(new BlobInputStreamOptions().setRange(range).setBlockSize(READ_CHUNK_SIZE));
        }
        catch (RuntimeException exception) {
            if (AzureErrors.errorCode(exception).filter(AzureErrors.INVALID_RANGE::equals).isPresent()) {
                // The offset is at or past the end of a blob that exists: nothing is left to read.
                if (stat(file).isEmpty()) {
                    throw notFound("read", file);
                }
                return InputStream.nullInputStream();
            }
            throw AzureErrors.classify("read", file, exception);
        }
        if (isDirectoryMarker(stream.getProperties().getMetadata())) {
            stream.close();
            throw notFound("read", file);
        }
        return new AzureInputStream(stream, file);
    }

    @Override
    public StorageOutputStream openWrite(Location file) {
        AzureLocation azure = locate(requireFile(file));
        return BlockBlobOutputStream.fresh(blob(azure).getBlockBlobClient(), file, executor, settings.blockSize(), settings.uploadConcurrency(),
                uploadBuffers);
    }

    /** Skips the blocks that an unfinished earlier write staged with the same bytes; see {@link BlockBlobOutputStream}. */
    @Override
    public ResumableOutputStream openResumableWrite(Location file) {
        AzureLocation azure = locate(requireFile(file));
        return BlockBlobOutputStream.resuming(blob(azure).getBlockBlobClient(), file, executor, settings.blockSize(), settings.uploadConcurrency(),
                uploadBuffers);
    }

    @Override
    public ChecksumCalculator checksumOfWrite(long size) {
        return BlockBlobChecksums.ofWrite(size, settings.blockSize());
    }

    /**
     * Reads the blob's properties, then its committed block list (two requests), and derives the checksum
     * with {@link BlockBlobChecksums#stored}. Empty when there is no blob, when it is no block blob, or when
     * it was replaced between the two requests (their ETags differ): the caller then reads it back. (Azure
     * sends no ETag with an empty block list: a blob sent whole is then taken to be the version whose
     * properties were read, which only another writer replacing it between the two requests makes untrue.)
     */
    @Override
    public Optional<StoredChecksum> storedChecksum(Location file) {
        AzureLocation azure = locate(requireFile(file));
        Optional<BlobProperties> found = properties(file, azure, OPERATION_STORED_CHECKSUM);
        if (found.isEmpty() || found.get().getBlobType() != BlobType.BLOCK_BLOB) {
            return Optional.empty();
        }
        BlobProperties properties = found.get();
        return committedBlocks(file, azure, properties.getETag())
                .flatMap(blocks -> BlockBlobChecksums.stored(properties.getBlobSize(), properties.getContentMd5(), blocks, settings.blockSize()))
                .map(checksum -> new StoredChecksum(properties.getBlobSize(), checksum));
    }

    /** The committed blocks of the blob's version with this ETag; empty when the blob is gone or was replaced. */
    private Optional<List<Block>> committedBlocks(Location file, AzureLocation azure, String eTag) {
        Response<BlockList> response;
        try {
            response = blob(azure).getBlockBlobClient().listBlocksWithResponse(new BlockBlobListBlocksOptions(BlockListType.COMMITTED), null, Context.NONE);
        }
        catch (RuntimeException exception) {
            if (isMissingBlob(exception)) {
                return Optional.empty();
            }
            throw AzureErrors.classify(OPERATION_STORED_CHECKSUM, file, exception);
        }
        List<Block> blocks = response.getValue().getCommittedBlocks();
        String listedETag = response.getHeaders().getValue(HttpHeaderName.ETAG);
        // Azure documents the ETag of a block list only for a blob with committed blocks (Azurite always
        // sends it); an empty list without one is taken as the properties' version.
        boolean sameVersion = listedETag == null ? blocks.isEmpty() : listedETag.equals(eTag);
        return sameVersion ? Optional.of(blocks) : Optional.empty();
    }

    /**
     * Deletes the blob and its snapshots. On an ADLS Gen2 account, a directory is not deleted: the service
     * refuses to delete one that is not empty, and an empty one is no file to keep.
     */
    @Override
    public void delete(Location file) {
        AzureLocation azure = locate(requireFile(file));
        try {
            blob(azure).deleteIfExistsWithResponse(DeleteSnapshotsOptionType.INCLUDE, null, null, Context.NONE);
        }
        catch (RuntimeException exception) {
            if (AzureErrors.statusCode(exception).filter(status -> status == 404).isPresent()
                    || AzureErrors.errorCode(exception).filter("DirectoryIsNotEmpty"::equals).isPresent()) {
                return;
            }
            throw AzureErrors.classify("delete", file, exception);
        }
    }

    /**
     * Copies block by block with Put Block From URL, {@code copy-block-size} bytes per request and
     * {@code upload-concurrency} requests at a time, each reading the source version seen at the start
     * (ETag), then commits the block list with the source's content type and MD5.
     */
    @Override
    public boolean copy(Location source, Location target, BooleanSupplier stopRequested) {
        AzureLocation azureSource = locate(requireFile(source));
        AzureLocation azureTarget = locate(requireFile(target));
        BlobClient sourceBlob = blob(azureSource);
        BlockBlobClient targetBlob = blob(azureTarget).getBlockBlobClient();
        BlobProperties properties = properties(source, azureSource, "copy").orElseThrow(() -> notFound("copy", source));

        String copyPrefix = BlockIds.newCopyPrefix();
        List<String> blockIds = new ArrayList<>();
        Deque<Future<?>> inFlight = new ArrayDeque<>();
        boolean stopped = false;
        try {
            for (long offset = 0; offset < properties.getBlobSize(); offset += settings.copyBlockSize()) {
                if (inFlight.size() == settings.uploadConcurrency()) {
                    inFlight.removeFirst().get();
                }
                if (stopRequested.getAsBoolean()) {
                    stopped = true;
                    break;
                }
                String blockId = BlockIds.ofCopy(copyPrefix, blockIds.size());
                BlobRange range = new BlobRange(offset, Math.min(settings.copyBlockSize(), properties.getBlobSize() - offset));
                blockIds.add(blockId);
                inFlight.addLast(executor.submit(() -> targetBlob.stageBlockFromUrlWithResponse(
                        settings.credentials().stageBlockFromUrl(blockId, sourceBlob)
                                .setSourceRange(range)
                                .setSourceRequestConditions(new BlobRequestConditions().setIfMatch(properties.getETag())),
                        null, Context.NONE)));
            }
            // Also when stopping: no block lands after the copy has returned.
            while (!inFlight.isEmpty()) {
                inFlight.removeFirst().get();
            }
            if (stopped || stopRequested.getAsBoolean()) {
                // Committing nothing: Blob Storage has no request that discards staged blocks, and drops them after a week.
                return false;
            }
            BlobHttpHeaders headers = new BlobHttpHeaders()
                    .setContentType(properties.getContentType())
                    .setContentMd5(properties.getContentMd5());
            targetBlob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(blockIds).setHeaders(headers), null, Context.NONE);
            return true;
        }
        catch (ExecutionException exception) {
            inFlight.forEach(request -> request.cancel(true));
            throw AzureErrors.classify("copy '%s' to".formatted(source), target, exception.getCause());
        }
        catch (InterruptedException exception) {
            inFlight.forEach(request -> request.cancel(true));
            Thread.currentThread().interrupt();
            throw new StorageException(StorageErrorKind.TRANSIENT, "copy of '%s' to '%s' interrupted".formatted(source, target), exception);
        }
        catch (RuntimeException exception) {
            inFlight.forEach(request -> request.cancel(true));
            throw AzureErrors.classify("copy '%s' to".formatted(source), target, exception);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    static boolean isDirectoryMarker(Map<String, String> metadata) {
        return metadata != null && "true".equalsIgnoreCase(metadata.get(DIRECTORY_MARKER_METADATA));
    }

    static Optional<Checksum> checksum(byte[] contentMd5) {
        return contentMd5 == null || contentMd5.length == 0
                ? Optional.empty()
                : Optional.of(new Checksum("md5", HexFormat.of().formatHex(contentMd5)));
    }

    /** The properties of the blob at a file location; empty when no blob (or only a directory) is there. */
    private Optional<BlobProperties> properties(Location file, AzureLocation azure, String operation) {
        BlobProperties properties;
        try {
            properties = blob(azure).getProperties();
        }
        catch (RuntimeException exception) {
            if (isMissingBlob(exception)) {
                return Optional.empty();
            }
            throw AzureErrors.classify(operation, file, exception);
        }
        return isDirectoryMarker(properties.getMetadata()) ? Optional.empty() : Optional.of(properties);
    }

    /** A missing container is not a missing file: it is reported, as a misconfiguration would be. */
    private static boolean isMissingBlob(RuntimeException exception) {
        return AzureErrors.statusCode(exception).filter(status -> status == 404).isPresent()
                && !"ContainerNotFound".equals(AzureErrors.errorCode(exception).orElse(null));
    }

    private BlobClient blob(AzureLocation location) {
        return client.getBlobContainerClient(location.container()).getBlobClient(location.blobName());
    }

    private AzureLocation locate(Location location) {
        AzureLocation azure = AzureLocation.of(location, settings.account());
        if (!profile.serves(location)) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION,
                    "'%s' is outside storage profile '%s', which serves %s".formatted(location, profile.name(), profile.roots()));
        }
        return azure;
    }

    private static Location requireFile(Location file) {
        requireNonNull(file, "file is null");
        if (file.isDirectory()) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION, "'%s' is a directory: a file location does not end with '/'".formatted(file));
        }
        return file;
    }

    private static StorageException notFound(String operation, Location file) {
        return new StorageException(StorageErrorKind.NOT_FOUND, "cannot %s '%s': no such file".formatted(operation, file));
    }
}
