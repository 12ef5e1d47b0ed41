package io.roam.storage.azure;

import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobItemProperties;
import io.roam.storage.AbstractFileIterator;
import io.roam.storage.FileEntry;
import io.roam.storage.InvalidLocationException;
import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

import java.util.Iterator;

/**
 * The blobs under a prefix, fetched page by page as the iteration advances (the SDK's paged iterable
 * requests the next page only when the current one is consumed). Directory markers are skipped: blobs
 * whose name ends with {@code /} and ADLS Gen2 directories ({@code hdi_isfolder} metadata).
 */
final class AzureFileIterator extends AbstractFileIterator {

    private final Location directory;
    private final String prefix;
    private final Iterator<BlobItem> blobs;

    AzureFileIterator(Location directory, String prefix, Iterator<BlobItem> blobs) {
        super(directory);
        this.directory = directory;
        this.prefix = prefix;
        this.blobs = blobs;
    }

    @Override
    protected FileEntry computeNext() {
        try {
            while (blobs.hasNext()) {
                FileEntry entry = entryFor(blobs.next());
                if (entry != null) {
                    return entry;
                }
            }
            return null;
        }
        catch (StorageException exception) {
            throw exception;
        }
        catch (RuntimeException exception) {
            throw AzureErrors.classify("list", directory, exception);
        }
    }

    /** The entry for a blob, or null for a directory marker. */
    private FileEntry entryFor(BlobItem blob) {
        if (Boolean.TRUE.equals(blob.isPrefix()) || blob.getName().endsWith("/") || AzureFileSystem.isDirectoryMarker(blob.getMetadata())) {
            return null;
        }
        BlobItemProperties properties = blob.getProperties();
        return new FileEntry(location(blob.getName()), properties.getContentLength(), properties.getLastModified().toInstant(),
                AzureFileSystem.checksum(properties.getContentMd5()));
    }

    /** Fails rather than skips a blob Roam cannot name: a listing that silently omits files loses data. */
    private Location location(String blobName) {
        try {
            return directory.resolve(blobName.substring(prefix.length()));
        }
        catch (InvalidLocationException exception) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION,
                    "cannot list '%s': a blob under it has a name that is not a valid location: %s".formatted(directory, exception.getMessage()),
                    exception);
        }
    }
}
