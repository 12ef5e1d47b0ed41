package io.roam.storage.gcs;

import static java.util.Objects.requireNonNull;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.CopyWriter;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobField;
import com.google.cloud.storage.Storage.BlobGetOption;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.CopyRequest;

import io.roam.storage.BufferPool;
import io.roam.storage.Checksum;
import io.roam.storage.ChecksumCalculator;
import io.roam.storage.FileEntry;
import io.roam.storage.FileIterator;
import io.roam.storage.Location;
import io.roam.storage.ServerSideCopy;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageOutputStream;
import io.roam.storage.StorageProfile;
import io.roam.storage.WriteVerification;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A {@link StorageFileSystem} over Google Cloud Storage, serving the roots of one storage profile.
 *
 * <ul>
 *   <li>Writes of files that fit in one chunk are one request (a multipart upload) on close; larger
 *       files are resumable uploads ({@link Storage#writer}) sent in chunks of a fixed size, each while
 *       the next one fills, which bounds the memory of each open write to two chunks ({@link
 *       GcsOutputStream}). The object appears on close. The client sends the crc32c of the whole content,
 *       and GCS refuses the upload when the bytes it received do not match. An aborted write sends nothing
 *       more: nothing appears, and GCS discards an unfinished resumable session and the bytes already sent
 *       after a week.</li>
 *   <li>Reads are ranged: they start at the offset and fetch the object in chunks, all from the generation
 *       that {@code openRead} found, so a concurrent overwrite fails the read instead of mixing two
 *       versions. Bytes are returned as stored, without decompressing gzip-encoded objects.</li>
 *   <li>Listings are paged lazily; objects whose name ends with {@code /} (folder placeholders made by
 *       consoles) are not files and are skipped.</li>
 *   <li>{@link #stat} reports the object's crc32c as its native checksum, or its MD5 when GCS has no
 *       crc32c for it.</li>
 *   <li>{@link #copy} is a server-side rewrite, repeated until GCS reports it done.</li>
 *   <li>Written files are verified by the crc32c GCS computed from the bytes it received ({@link
 *       WriteVerification}), without reading them back.</li>
 * </ul>
 */
final class GcsFileSystem implements StorageFileSystem, ServerSideCopy, WriteVerification {

    private static final BlobField[] ENTRY_FIELDS = {BlobField.NAME, BlobField.SIZE, BlobField.UPDATED, BlobField.CRC32C, BlobField.MD5HASH, BlobField.GENERATION};

    private final StorageProfile profile;
    private final Storage storage;
    private final int chunkSize;
    private final int listPageSize;
    private final BufferPool uploadBuffers = new BufferPool(BufferPool.DEFAULT_RETAINED_BYTES);

    GcsFileSystem(StorageProfile profile, Storage storage, int chunkSize, int listPageSize) {
        this.profile = requireNonNull(profile, "profile is null");
        this.storage = requireNonNull(storage, "storage is null");
        this.chunkSize = chunkSize;
        this.listPageSize = listPageSize;
    }

    @Override
    public FileIterator list(Location directory) {
        requireNonNull(directory, "directory is null");
        if (!directory.isDirectory()) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION, "'%s' is not a directory: a location to list ends with '/'".formatted(directory));
        }
        GcsLocation prefix = served(directory);
        try {
            // Fetches the first page now: a missing bucket or refused credentials fail here, not later.
            return new GcsFileIterator(directory, prefix.name(), storage.list(prefix.bucket(),
                    BlobListOption.prefix(prefix.name()),
                    BlobListOption.pageSize(listPageSize),
                    BlobListOption.fields(ENTRY_FIELDS)));
        }
        catch (RuntimeException exception) {
            throw GcsErrors.classify("cannot list '%s'".formatted(directory), exception);
        }
    }

    @Override
    public Optional<FileEntry> stat(Location file) {
        GcsLocation object = servedFile(file);
        try {
            return Optional.ofNullable(storage.get(BlobId.of(object.bucket(), object.name()), BlobGetOption.fields(ENTRY_FIELDS)))
                    .map(blob -> entry(file, blob));
        }
        catch (RuntimeException exception) {
            throw GcsErrors.classify("cannot stat '%s'".formatted(file), exception);
        }
    }

    @Override
    public InputStream openRead(Location file, long offset) {
        GcsLocation object = servedFile(file);
        if (offset < 0) {
            throw new IllegalArgumentException("offset is negative: " + offset);
        }
        try {
            Blob blob = storage.get(BlobId.of(object.bucket(), object.name()), BlobGetOption.fields(BlobField.SIZE, BlobField.GENERATION));
            if (blob == null) {
                throw new StorageException(StorageErrorKind.NOT_FOUND, "cannot read '%s': no such file".formatted(file));
            }
            if (offset >= blob.getSize()) {
                return InputStream.nullInputStream();
            }
            ReadChannel channel = storage.reader(BlobId.of(object.bucket(), object.name(), blob.getGeneration()), BlobSourceOption.shouldReturnRawInputStream(true));
            try {
                channel.seek(offset);
            }
            catch (IOException | RuntimeException exception) {
                channel.close();
                throw exception;
            }
            return new GcsInputStream(file, channel);
        }
        catch (IOException | RuntimeException exception) {
            throw GcsErrors.classify("cannot read '%s'".formatted(file), exception);
        }
    }

    @Override
    public StorageOutputStream openWrite(Location file) {
        GcsLocation object = servedFile(file);
        return new GcsOutputStream(file, storage,
                BlobInfo.newBuilder(object.bucket(), object.name()).setContentType("application/octet-stream").build(), chunkSize, uploadBuffers);
    }

    /** GCS computes the crc32c of every object's content, however it was uploaded; see {@link #storedChecksum}. */
    @Override
    public ChecksumCalculator checksumOfWrite(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("size is negative: " + size);
        }
        return ChecksumCalculator.crc32c();
    }

    /**
     * The object's size and crc32c, which GCS computes from the bytes it stores (a crc32c the client
     * declares is only compared with it: GCS refuses the upload when they differ). Empty when there is no
     * object, or when GCS reports no crc32c for it (an object encrypted with a customer-supplied key, read
     * without the key).
     */
    @Override
    public Optional<StoredChecksum> storedChecksum(Location file) {
        GcsLocation object = servedFile(file);
        Blob blob;
        try {
            blob = storage.get(BlobId.of(object.bucket(), object.name()), BlobGetOption.fields(BlobField.SIZE, BlobField.CRC32C));
        }
        catch (RuntimeException exception) {
            throw GcsErrors.classify("cannot read the stored checksum of '%s'".formatted(file), exception);
        }
        return blob == null ? Optional.empty() : storedChecksumOf(blob);
    }

    /** The object's size and crc32c; empty when GCS reports no crc32c for it. */
    static Optional<StoredChecksum> storedChecksumOf(Blob blob) {
        return blob.getCrc32c() == null ? Optional.empty() : Optional.of(new StoredChecksum(blob.getSize(), crc32c(blob)));
    }

    @Override
    public void delete(Location file) {
        GcsLocation object = servedFile(file);
        try {
            // False when nothing was there: delete is idempotent.
            storage.delete(BlobId.of(object.bucket(), object.name()));
        }
        catch (RuntimeException exception) {
            throw GcsErrors.classify("cannot delete '%s'".formatted(file), exception);
        }
    }

    @Override
    public boolean copy(Location source, Location target, BooleanSupplier stopRequested) {
        GcsLocation from = servedFile(source);
        GcsLocation to = servedFile(target);
        try {
            if (stopRequested.getAsBoolean()) {
                return false;
            }
            CopyWriter rewrite = storage.copy(CopyRequest.newBuilder()
                    .setSource(BlobId.of(from.bucket(), from.name()))
                    .setTarget(BlobInfo.newBuilder(to.bucket(), to.name()).setContentType("application/octet-stream").build())
                    .build());
            // A rewrite across locations or storage classes of a large object takes several calls; one left
            // unfinished publishes nothing, and GCS forgets its token.
            while (!rewrite.isDone()) {
                if (stopRequested.getAsBoolean()) {
                    return false;
                }
                rewrite.copyChunk();
            }
            return true;
        }
        catch (RuntimeException exception) {
            throw GcsErrors.classify("cannot copy '%s' to '%s'".formatted(source, target), exception);
        }
    }

    @Override
    public void close() {
        try {
            storage.close();
        }
        catch (Exception exception) {
            throw GcsErrors.classify("cannot close the client of storage profile '%s'".formatted(profile.name()), exception);
        }
    }

    static FileEntry entry(Location location, Blob blob) {
        return new FileEntry(location, blob.getSize(), lastModified(blob), nativeChecksum(blob));
    }

    private static Instant lastModified(Blob blob) {
        OffsetDateTime updated = blob.getUpdateTimeOffsetDateTime();
        return updated == null ? Instant.EPOCH : updated.toInstant();
    }

    private static Optional<Checksum> nativeChecksum(Blob blob) {
        if (blob.getCrc32c() != null) {
            return Optional.of(crc32c(blob));
        }
        if (blob.getMd5() != null) {
            return Optional.of(new Checksum("md5", hex(blob.getMd5())));
        }
        return Optional.empty();
    }

    /** The object's crc32c as {@link ChecksumCalculator#crc32c()} gives it: 8 hexadecimal digits, big-endian. */
    private static Checksum crc32c(Blob blob) {
        return new Checksum("crc32c", hex(blob.getCrc32c()));
    }

    /** GCS reports checksums in base64 of their big-endian bytes; Roam records lowercase hexadecimal. */
    private static String hex(String base64) {
        return HexFormat.of().formatHex(Base64.getDecoder().decode(base64));
    }

    private GcsLocation servedFile(Location file) {
        requireNonNull(file, "file is null");
        if (file.isDirectory()) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION, "'%s' is a directory: a file location does not end with '/'".formatted(file));
        }
        return served(file);
    }

    private GcsLocation served(Location location) {
        GcsLocation gcsLocation = GcsLocation.of(location);
        if (!profile.serves(location)) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION,
                    "'%s' is outside storage profile '%s', which serves %s".formatted(location, profile.name(), profile.roots()));
        }
        return gcsLocation;
    }
}
