package io.roam.storage.s3;

import static java.util.Objects.requireNonNull;

import io.roam.storage.Checksum;
import io.roam.storage.ChecksumCalculator;
import io.roam.storage.FileEntry;
import io.roam.storage.FileIterator;
import io.roam.storage.Location;
import io.roam.storage.ProfileProperties;
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
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import javax.net.ssl.TrustManager;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A {@link StorageFileSystem} over one S3 endpoint (AWS or S3-compatible), serving the roots of one
 * storage profile. One pooled HTTP client (Apache HttpClient 5, or the AWS CRT's) serves every operation:
 * the requests that carry an object's bytes through {@link S3ObjectRequests}, the others through a
 * synchronous SDK client.
 *
 * <ul>
 *   <li>{@link #list}: ListObjectsV2 under the directory's prefix, page by page.
 *   <li>{@link #stat}: HeadObject. The native checksum is the ETag as an MD5 when S3 computes it so: a
 *       single-part upload not encrypted with SSE-KMS or SSE-C.
 *   <li>{@link #openRead}: GetObject with a {@code Range} from the offset.
 *   <li>{@link #openWrite}: PutObject or a multipart upload, see {@link S3OutputStream}.
 *   <li>{@link #openResumableWrite}: the same, continuing the newest unfinished multipart upload of the
 *       key: ListMultipartUploads, ListParts, and only the parts whose bytes differ are sent.
 *   <li>{@link #delete}: DeleteObject, idempotent in S3 itself.
 *   <li>{@link #copy}: CopyObject up to the multipart copy threshold (5 GiB at most, S3's limit),
 *       UploadPartCopy in parallel beyond, pinned to the source's ETag so that a source replaced
 *       during the copy fails it rather than mixing versions.
 *   <li>{@link #storedChecksum}: HeadObject, for the checksum S3 keeps (see {@link S3StoredChecksums});
 *       {@link #checksumOfWrite} computes the same from the bytes written, cut into the parts {@link
 *       S3OutputStream} sends, and the stream reports what S3 answered to the upload itself.
 * </ul>
 *
 * <p>Buckets have no directories: a key ending with {@code /} is a folder marker, not a file, and
 * nothing is created for the directories of a written key.
 */
final class S3FileSystem implements StorageFileSystem, ServerSideCopy, ResumableWrite, WriteVerification {

    private static final long MAXIMUM_COPY_PART_SIZE = 512 * S3Configuration.MEBIBYTE;
    private static final int COPY_PART_CONCURRENCY = 8;
    /** Region sent to S3-compatible stores whose profile names none: they accept any, and this is the usual default. */
    private static final Region DEFAULT_REGION_FOR_ENDPOINTS = Region.US_EAST_1;

    private final StorageProfile profile;
    private final S3Configuration configuration;
    private final AwsCredentialsProvider credentialsProvider;
    private final SdkHttpClient httpClient;
    private final S3Client client;
    private final S3ObjectRequests objectRequests;
    private final BufferPool uploadBuffers = new BufferPool(BufferPool.DEFAULT_RETAINED_BYTES);

    /**
     * @param environment the process environment, which credentials of kind {@code environment} read
     * @throws IllegalArgumentException when the profile's roots or properties do not suit this backend
     */
    S3FileSystem(StorageProfile profile, Map<String, String> environment) {
        this.profile = requireNonNull(profile, "profile is null");
        requireNonNull(environment, "environment is null");
        this.configuration = S3Configuration.of(profile);
        for (Location root : profile.roots()) {
            if (!root.scheme().equals(S3Location.SCHEME)) {
                throw new IllegalArgumentException("storage profile '%s' uses the s3 backend, but its root '%s' is not an s3:// location"
                        .formatted(profile.name(), root));
            }
            String problem = S3Location.bucketNameProblem(root.host().orElseThrow());
            if (problem != null) {
                throw new IllegalArgumentException("root '%s' of storage profile '%s' has an invalid S3 bucket name: %s"
                        .formatted(root, profile.name(), problem));
            }
        }
        this.credentialsProvider = configuration.credentials().provider(profile.name(), environment);
        this.httpClient = switch (configuration.httpClient()) {
            case APACHE -> apacheHttpClient();
            case CRT -> AwsCrtHttpClient.builder().maxConcurrency(configuration.maximumConnections()).build();
        };
        Region region = region();
        this.client = createClient(region);
        this.objectRequests = new S3ObjectRequests(httpClient, credentialsProvider, configuration.endpoint(), configuration.pathStyleAccess(), region,
                configuration.signPayloads());
    }

    private SdkHttpClient apacheHttpClient() {
        Apache5HttpClient.Builder builder = Apache5HttpClient.builder().maxConnections(configuration.maximumConnections());
        if (configuration.trustCertificates().isPresent()) {
            Path file = configuration.trustCertificates().get();
            try {
                TrustManager[] trustManagers = TrustedCertificates.trustManagers(file);
                builder.tlsTrustManagersProvider(() -> trustManagers);
            }
            catch (IOException | GeneralSecurityException exception) {
                throw new ProfileProperties(profile).invalid(S3Configuration.TRUST_CERTIFICATES,
                        "cannot trust the certificates in '%s': %s".formatted(file, exception.getMessage()));
            }
        }
        return builder.build();
    }

    private S3Client createClient(Region region) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(httpClient)
                .credentialsProvider(credentialsProvider)
                .region(region)
                .forcePathStyle(configuration.pathStyleAccess())
                // Roam sets the checksum of every upload itself (see S3OutputStream) and verifies every
                // copy with SHA-256: the SDK's own trailing checksums add chunked encoding that several
                // S3-compatible stores refuse, and ranged reads have no checksum to validate.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        configuration.endpoint().ifPresentOrElse(
                builder::endpointOverride,
                // Buckets of other regions are reached too, after a redirect S3 answers once per bucket.
                () -> builder.crossRegionAccessEnabled(true));
        return builder.build();
    }

    private Region region() {
        if (configuration.region().isPresent()) {
            return Region.of(configuration.region().get());
        }
        if (configuration.endpoint().isPresent()) {
            return DEFAULT_REGION_FOR_ENDPOINTS;
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        }
        catch (SdkClientException exception) {
            throw new IllegalArgumentException("storage profile '%s' has no region, and none is configured for the AWS SDK (AWS_REGION, ~/.aws/config): set roam.storage.profiles.%s.region"
                    .formatted(profile.name(), profile.name()), exception);
        }
    }

    @Override
    public FileIterator list(Location directory) {
        requireNonNull(directory, "directory is null");
        if (!directory.isDirectory()) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION, "'%s' is not a directory: a location to list ends with '/'".formatted(directory));
        }
        return new S3FileIterator(client, served(directory), configuration.listPageSize());
    }

    @Override
    public Optional<FileEntry> stat(Location file) {
        S3Location location = served(requireFile(file));
        return head(location, "stat").map(head -> new FileEntry(file, head.contentLength(), lastModified(head), nativeChecksum(head)));
    }

    @Override
    public InputStream openRead(Location file, long offset) {
        S3Location location = served(requireFile(file));
        if (offset < 0) {
            throw new IllegalArgumentException("offset is negative: " + offset);
        }
        return get(file, location, offset == 0 ? null : "bytes=%d-".formatted(offset));
    }

    /** GetObject with a closed {@code Range}, so that S3 sends exactly the bytes asked for. */
    @Override
    public InputStream openRead(Location file, long offset, long length) {
        S3Location location = served(requireFile(file));
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset or length is negative: %d, %d".formatted(offset, length));
        }
        if (length == 0) {
            // A Range cannot be empty; the object's existence is still checked, as for any read.
            if (head(location, "read").isEmpty()) {
                throw new StorageException(StorageErrorKind.NOT_FOUND, "cannot read '%s': no such file".formatted(file));
            }
            return InputStream.nullInputStream();
        }
        return get(file, location, "bytes=%d-%d".formatted(offset, offset + length - 1));
    }

    private InputStream get(Location file, S3Location location, String range) {
        try {
            return new S3InputStream(objectRequests.get(location, range), file);
        }
        catch (S3Exception exception) {
            // 416 comes only for an existing object (a missing one is 404): the offset is at or past its end.
            if (exception.statusCode() == 416) {
                return InputStream.nullInputStream();
            }
            throw S3Errors.classify("read", file, exception);
        }
        catch (SdkException exception) {
            throw S3Errors.classify("read", file, exception);
        }
    }

    @Override
    public StorageOutputStream openWrite(Location file) {
        return S3OutputStream.fresh(client, objectRequests, served(requireFile(file)), configuration, uploadBuffers);
    }

    /** Continues the newest unfinished multipart upload of the key, part by part where the bytes match; see {@link S3OutputStream}. */
    @Override
    public ResumableOutputStream openResumableWrite(Location file) {
        return S3OutputStream.resuming(client, objectRequests, served(requireFile(file)), configuration, uploadBuffers);
    }

    @Override
    public void delete(Location file) {
        S3Location location = served(requireFile(file));
        try {
            client.deleteObject(request -> request.bucket(location.bucket()).key(location.key()));
        }
        catch (SdkException exception) {
            throw S3Errors.classify("delete", file, exception);
        }
    }

    @Override
    public boolean copy(Location source, Location target, BooleanSupplier stopRequested) {
        S3Location from = served(requireFile(source));
        S3Location to = served(requireFile(target));
        String operation = "copy to '%s' from".formatted(target);
        HeadObjectResponse head = head(from, operation)
                .orElseThrow(() -> new StorageException(StorageErrorKind.NOT_FOUND, "cannot copy '%s' to '%s': no such file".formatted(source, target)));
        try {
            if (stopRequested.getAsBoolean()) {
                return false;
            }
            if (head.contentLength() <= configuration.multipartCopyThreshold()) {
                client.copyObject(request -> request
                        .sourceBucket(from.bucket())
                        .sourceKey(from.key())
                        .destinationBucket(to.bucket())
                        .destinationKey(to.key())
                        .copySourceIfMatch(head.eTag()));
                return true;
            }
            return multipartCopy(from, to, head, stopRequested);
        }
        catch (SdkException exception) {
            throw S3Errors.classify(operation, source, exception);
        }
    }

    /** UploadPartCopy, several parts at once; each part asks {@code stopRequested} before it is sent. */
    private boolean multipartCopy(S3Location from, S3Location to, HeadObjectResponse head, BooleanSupplier stopRequested) {
        long size = head.contentLength();
        long partSize = Math.max(Math.min(configuration.multipartCopyThreshold(), MAXIMUM_COPY_PART_SIZE),
                Math.ceilDiv(size, S3OutputStream.MAXIMUM_PARTS));
        String uploadId = client.createMultipartUpload(request -> request.bucket(to.bucket()).key(to.key())).uploadId();
        try (ExecutorService copies = Executors.newFixedThreadPool(COPY_PART_CONCURRENCY, Thread.ofVirtual().name("roam-s3-copy-", 0).factory())) {
            List<Future<CompletedPart>> parts = new ArrayList<>();
            for (long start = 0; start < size; start += partSize) {
                int partNumber = parts.size() + 1;
                String range = "bytes=%d-%d".formatted(start, Math.min(start + partSize, size) - 1);
                parts.add(copies.submit(() -> {
                    if (stopRequested.getAsBoolean()) {
                        return null;
                    }
                    String eTag = client.uploadPartCopy(request -> request
                            .sourceBucket(from.bucket())
                            .sourceKey(from.key())
                            .copySourceIfMatch(head.eTag())
                            .copySourceRange(range)
                            .destinationBucket(to.bucket())
                            .destinationKey(to.key())
                            .uploadId(uploadId)
                            .partNumber(partNumber)).copyPartResult().eTag();
                    return CompletedPart.builder().partNumber(partNumber).eTag(eTag).build();
                }));
            }
            List<CompletedPart> completed = new ArrayList<>(parts.size());
            for (Future<CompletedPart> part : parts) {
                completed.add(part.get());
            }
            if (completed.contains(null) || stopRequested.getAsBoolean()) {
                S3MultipartUploads.abort(client, to, uploadId, null);
                return false;
            }
            client.completeMultipartUpload(request -> request
                    .bucket(to.bucket())
                    .key(to.key())
                    .uploadId(uploadId)
                    .multipartUpload(upload -> upload.parts(completed)));
            return true;
        }
        catch (ExecutionException | InterruptedException | RuntimeException failure) {
            if (failure instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = failure instanceof ExecutionException ? failure.getCause() : failure;
            StorageException classified = S3Errors.classify("copy to '%s' from".formatted(to.location()), from.location(), cause);
            S3MultipartUploads.abort(client, to, uploadId, classified);
            throw classified;
        }
    }

    @Override
    public void close() {
        client.close();
        httpClient.close();
        if (credentialsProvider instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            }
            catch (Exception exception) {
                throw new IllegalStateException("cannot release the credentials provider of storage profile '%s'".formatted(profile.name()), exception);
            }
        }
    }

    @Override
    public ChecksumCalculator checksumOfWrite(long size) {
        return S3StoredChecksums.checksumOfWrite(configuration, size);
    }

    @Override
    public Optional<StoredChecksum> storedChecksum(Location file) {
        S3Location location = served(requireFile(file));
        S3Configuration.UploadChecksum uploadChecksum = configuration.uploadChecksum();
        return head(location, "verify", uploadChecksum == S3Configuration.UploadChecksum.CRC32C)
                .flatMap(head -> S3StoredChecksums.reported(uploadChecksum, head.checksumCRC32C(), head.eTag(),
                                head.serverSideEncryptionAsString(), head.sseCustomerAlgorithm())
                        .map(checksum -> new StoredChecksum(head.contentLength(), checksum)));
    }

    /** HeadObject, or empty when there is no object at that key. */
    private Optional<HeadObjectResponse> head(S3Location location, String operation) {
        return head(location, operation, false);
    }

    /** HeadObject, with the object's checksums when asked, or empty when there is no object at that key. */
    private Optional<HeadObjectResponse> head(S3Location location, String operation, boolean withChecksums) {
        try {
            return Optional.of(client.headObject(request -> request.bucket(location.bucket()).key(location.key())
                    .checksumMode(withChecksums ? ChecksumMode.ENABLED : null)));
        }
        catch (S3Exception exception) {
            // A HEAD response has no body, so a missing bucket is a 404 like a missing key: either way, no file.
            if (exception.statusCode() == 404) {
                return Optional.empty();
            }
            throw S3Errors.classify(operation, location.location(), exception);
        }
        catch (SdkException exception) {
            throw S3Errors.classify(operation, location.location(), exception);
        }
    }

    private static Instant lastModified(HeadObjectResponse head) {
        return head.lastModified() == null ? Instant.EPOCH : head.lastModified();
    }

    /** The ETag as an MD5 when it is one (see {@link S3StoredChecksums#singlePartMd5}). */
    static Optional<Checksum> nativeChecksum(HeadObjectResponse head) {
        return S3StoredChecksums.singlePartMd5(head.eTag(), head.serverSideEncryptionAsString(), head.sseCustomerAlgorithm());
    }

    /** The location as this backend's, once it is known to be served by the profile. */
    private S3Location served(Location location) {
        S3Location s3Location = S3Location.of(location);
        if (!profile.serves(location)) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION,
                    "'%s' is outside storage profile '%s', which serves %s".formatted(location, profile.name(), profile.roots()));
        }
        return s3Location;
    }

    private static Location requireFile(Location file) {
        requireNonNull(file, "file is null");
        if (file.isDirectory()) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION, "'%s' is a directory: a file location does not end with '/'".formatted(file));
        }
        return file;
    }
}
