package io.roam.storage.gcs;

import com.google.api.gax.paging.Page;
import com.google.cloud.storage.Blob;

import io.roam.storage.AbstractFileIterator;
import io.roam.storage.FileEntry;
import io.roam.storage.InvalidLocationException;
import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

import java.util.Iterator;

/**
 * Streams the objects under a prefix, fetching the next page of the listing only when the current one is
 * consumed. Objects named like directories (ending with {@code /}) are skipped; an object whose name is
 * not a valid location fails the listing rather than being left out silently.
 */
final class GcsFileIterator extends AbstractFileIterator {

    private final Location directory;
    private final String prefix;
    private final Iterator<Blob> blobs;

    GcsFileIterator(Location directory, String prefix, Page<Blob> firstPage) {
        super(directory);
        this.directory = directory;
        this.prefix = prefix;
        this.blobs = firstPage.iterateAll().iterator();
    }

    @Override
    protected FileEntry computeNext() {
        while (true) {
            Blob blob;
            try {
                if (!blobs.hasNext()) {
                    return null;
                }
                blob = blobs.next();
            }
            catch (RuntimeException exception) {
                throw GcsErrors.classify("cannot list '%s'".formatted(directory), exception);
            }
            if (!blob.getName().endsWith("/")) {
                return GcsFileSystem.entry(location(blob.getName()), blob);
            }
        }
    }

    private Location location(String name) {
        try {
            return directory.resolve(name.substring(prefix.length()));
        }
        catch (InvalidLocationException exception) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION,
                    "cannot list '%s': an object under it has a name that is not a valid location: %s".formatted(directory, exception.getMessage()),
                    exception);
        }
    }
}
