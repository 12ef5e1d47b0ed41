package io.roam.storage.azure;

import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobItemProperties;
import io.roam.storage.FileEntry;
import io.roam.storage.FileIterator;
import io.roam.storage.InvalidLocationException;
import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The blobs under a prefix, fetched page by page as the iteration advances (the SDK's paged iterable
 * requests the next page only when the current one is consumed). Directory markers are skipped: blobs
 * whose name ends with {@code /} and ADLS Gen2 directories ({@code hdi_isfolder} metadata).
 */
final class AzureFileIterator implements FileIterator {

    private final Location directory;
    private final String prefix;
    private final Iterator<BlobItem> blobs;
    private FileEntry next;

    AzureFileIterator(Location directory, String prefix, Iterator<BlobItem> blobs) {
        this.directory = directory;
        this.prefix = prefix;
        this.blobs = blobs;
    }

    @Override
    public boolean hasNext() {
        try {
            while (next == null && blobs.hasNext()) {
                next = entryFor(blobs.next());
            }
        }
        catch (StorageException exception) {
            throw exception;
        }
        catch (RuntimeException exception) {
            throw AzureErrors.classify("list", directory, exception);
        }
        return next != null;
    }

    @Override
    public FileEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException("listing of '%s' is exhausted".formatted(directory));
        }
        FileEntry entry = next;
        next = null;
        return entry;
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
