package io.roam.storage.sftp;

import io.roam.storage.AbstractFileIterator;
import io.roam.storage.FileEntry;
import io.roam.storage.InvalidLocationException;
import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * Walks a remote directory tree lazily, depth first, reading one directory at a time: it holds the
 * entries of the directory being reported and the directories still to visit. Each directory is read
 * whole on a leased channel, which is returned before its entries are reported, so that an iterator
 * abandoned part-way holds no connection.
 */
final class SftpFileIterator extends AbstractFileIterator {

    /** One child of a directory: a regular file (links to files resolved) or a subdirectory. */
    record DirectoryChild(String name, boolean directory, long size, Instant lastModified) {}

    /** Reads one directory's children; a missing directory, or a file, has none. */
    @FunctionalInterface
    interface DirectoryReader {
        List<DirectoryChild> read(String path);
    }

    private record PendingDirectory(String path, String relativePath) {}

    private final Location directory;
    private final DirectoryReader reader;
    private final Deque<PendingDirectory> pending = new ArrayDeque<>();
    private Iterator<DirectoryChild> children;
    private String childPrefix;
    private String childDirectoryPath;

    SftpFileIterator(Location directory, String path, DirectoryReader reader) {
        super(directory);
        this.directory = directory;
        this.reader = reader;
        pending.push(new PendingDirectory(path, ""));
    }

    @Override
    protected FileEntry computeNext() {
        while (true) {
            if (children != null && children.hasNext()) {
                DirectoryChild child = children.next();
                String relativePath = childPrefix + child.name();
                if (child.directory()) {
                    pending.push(new PendingDirectory(childDirectoryPath + child.name() + "/", relativePath + "/"));
                }
                else {
                    return new FileEntry(location(relativePath), child.size(), child.lastModified());
                }
            }
            else {
                children = null;
                PendingDirectory directoryToRead = pending.poll();
                if (directoryToRead == null) {
                    return null;
                }
                try {
                    children = reader.read(directoryToRead.path()).iterator();
                }
                catch (RuntimeException exception) {
                    pending.clear();
                    throw exception;
                }
                childPrefix = directoryToRead.relativePath();
                childDirectoryPath = directoryToRead.path();
            }
        }
    }

    /** Fails rather than skips a file Roam cannot name: a listing that silently omits files loses data. */
    private Location location(String relativePath) {
        try {
            return directory.resolve(relativePath);
        }
        catch (InvalidLocationException exception) {
            pending.clear();
            children = null;
            throw new StorageException(StorageErrorKind.INVALID_LOCATION,
                    "cannot list '%s': a file under it has a name that is not a valid location: %s".formatted(directory, exception.getMessage()),
                    exception);
        }
    }
}
