package io.roam.storage.s3;

import static java.util.Objects.requireNonNull;

import io.roam.storage.AbstractFileIterator;
import io.roam.storage.FileEntry;
import io.roam.storage.InvalidLocationException;
import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Lists the objects under a prefix with ListObjectsV2, fetching the next page only when the current
 * one is used up: it holds one page at a time. Keys ending with {@code /} (the empty "folder" markers
 * that consoles create) are not files and are skipped. A key that is not a valid location fails the
 * listing rather than being left out, because a listing that silently omits files loses data.
 *
 * <p>Entries carry no native checksum: a listing does not say whether an object is encrypted with
 * SSE-KMS or SSE-C, whose ETags are not MD5s; {@link S3FileSystem#stat} does.
 */
final class S3FileIterator extends AbstractFileIterator {

    private final S3Client client;
    private final S3Location directory;
    private final int pageSize;
    private Iterator<S3Object> page = Collections.emptyIterator();
    private String continuationToken;
    private boolean lastPageFetched;

    S3FileIterator(S3Client client, S3Location directory, int pageSize) {
        super(requireNonNull(directory, "directory is null").location());
        this.client = requireNonNull(client, "client is null");
        this.directory = directory;
        this.pageSize = pageSize;
    }

    @Override
    protected FileEntry computeNext() {
        while (true) {
            while (page.hasNext()) {
                S3Object object = page.next();
                if (!object.key().endsWith("/")) {
                    return entryFor(object);
                }
            }
            if (lastPageFetched) {
                return null;
            }
            fetchPage();
        }
    }

    private void fetchPage() {
        ListObjectsV2Response response;
        try {
            response = client.listObjectsV2(request -> request
                    .bucket(directory.bucket())
                    .prefix(directory.key())
                    .maxKeys(pageSize)
                    .continuationToken(continuationToken));
        }
        catch (SdkException exception) {
            throw S3Errors.classify("list", directory.location(), exception);
        }
        page = response.contents().iterator();
        if (Boolean.TRUE.equals(response.isTruncated()) && response.nextContinuationToken() != null) {
            continuationToken = response.nextContinuationToken();
        }
        else {
            lastPageFetched = true;
        }
    }

    private FileEntry entryFor(S3Object object) {
        Location location;
        try {
            location = directory.location().resolve(object.key().substring(directory.key().length()));
        }
        catch (InvalidLocationException exception) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION,
                    "cannot list '%s': an object under it has a key that is not a valid location: %s".formatted(directory.location(), exception.getMessage()),
                    exception);
        }
        Instant lastModified = object.lastModified() == null ? Instant.EPOCH : object.lastModified();
        return new FileEntry(location, object.size() == null ? 0 : object.size(), lastModified);
    }
}
