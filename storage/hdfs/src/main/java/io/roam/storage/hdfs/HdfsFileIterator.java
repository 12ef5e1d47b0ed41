package io.roam.storage.hdfs;

import io.roam.storage.AbstractFileIterator;
import io.roam.storage.FileEntry;
import io.roam.storage.InvalidLocationException;
import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Walks a directory tree lazily, depth first, one directory listing open at a time, each fetched from
 * the name node in pages ({@code dfs.ls.limit} entries, 1,000 by default). It holds the directories
 * still to visit, never the files. It asks for statuses without block locations, which a recursive
 * {@code FileSystem.listFiles} would fetch for every file. Directories that vanish during the walk are
 * skipped; Roam's temporary files and anything but regular files (symbolic links) are not listed.
 */
final class HdfsFileIterator extends AbstractFileIterator {

    private final Location directory;
    private final FileSystem fileSystem;
    private final Deque<PendingDirectory> pending = new ArrayDeque<>();
    private PendingDirectory current;
    private RemoteIterator<FileStatus> children;

    private record PendingDirectory(Path path, String relativePath) {}

    HdfsFileIterator(Location directory, FileSystem fileSystem, Path start) {
        super(directory);
        this.directory = directory;
        this.fileSystem = fileSystem;
        pending.push(new PendingDirectory(start, ""));
    }

    @Override
    protected FileEntry computeNext() {
        try {
            while (true) {
                if (children != null && hasMoreChildren()) {
                    FileEntry entry = entryFor(children.next());
                    if (entry != null) {
                        return entry;
                    }
                }
                else {
                    children = null;
                    current = pending.poll();
                    if (current == null) {
                        return null;
                    }
                    children = open(current.path());
                }
            }
        }
        catch (IOException | RuntimeException exception) {
            pending.clear();
            children = null;
            throw HdfsErrors.classify("list", directory, exception);
        }
    }

    /** The listing of a directory, or null when nothing can be under it: it is missing, vanished, or beneath a file. */
    private RemoteIterator<FileStatus> open(Path path) throws IOException {
        try {
            return fileSystem.listStatusIterator(path);
        }
        catch (IOException exception) {
            if (HdfsErrors.kindOf(exception) == StorageErrorKind.NOT_FOUND) {
                return null;
            }
            throw exception;
        }
    }

    /** Whether the open listing has more entries; a directory removed between two pages has no more. */
    private boolean hasMoreChildren() throws IOException {
        try {
            return children.hasNext();
        }
        catch (IOException exception) {
            if (HdfsErrors.kindOf(exception) == StorageErrorKind.NOT_FOUND) {
                return false;
            }
            throw exception;
        }
    }

    /** The entry for a listed status, or null for what is not listed. Subdirectories are queued. */
    private FileEntry entryFor(FileStatus status) {
        Path path = status.getPath();
        // Listing a file answers the file itself: a file where a directory was asked for has nothing under it.
        if (path.toUri().getPath().equals(current.path().toUri().getPath())) {
            return null;
        }
        String name = path.getName();
        if (status.isDirectory()) {
            pending.push(new PendingDirectory(path, current.relativePath() + name + "/"));
            return null;
        }
        if (!status.isFile() || HdfsFileSystem.isPartialFile(name)) {
            return null;
        }
        return new FileEntry(location(current.relativePath() + name), status.getLen(), Instant.ofEpochMilli(status.getModificationTime()));
    }

    /** Fails rather than skips a file Roam cannot name: a listing that silently omits files loses data. */
    private Location location(String relativePath) {
        try {
            return directory.resolve(relativePath);
        }
        catch (InvalidLocationException exception) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION,
                    "cannot list '%s': a file under it has a name that is not a valid location: %s".formatted(directory, exception.getMessage()),
                    exception);
        }
    }
}
