package io.roam.storage.local;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import io.roam.storage.AbstractFileIterator;
import io.roam.storage.FileEntry;
import io.roam.storage.InvalidLocationException;
import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Walks a directory tree lazily, depth first, with one directory open at a time: it holds the
 * directories still to visit, never the files. Files that vanish during the walk are skipped.
 * Symbolic links to files are reported when they stay under the root and fail the listing when they
 * leave it; links to directories are not followed.
 */
final class LocalFileIterator extends AbstractFileIterator {

    private final Location directory;
    private final Path realRoot;
    private final Deque<PendingDirectory> pending = new ArrayDeque<>();
    private DirectoryStream<Path> stream;
    private Iterator<Path> children;
    private String childPrefix;

    private record PendingDirectory(Path path, String relativePath) {}

    LocalFileIterator(Location directory, Path start, Path realRoot) {
        super(directory);
        this.directory = directory;
        this.realRoot = realRoot;
        pending.push(new PendingDirectory(start, ""));
    }

    @Override
    protected FileEntry computeNext() {
        try {
            while (true) {
                if (children != null && children.hasNext()) {
                    FileEntry entry = entryFor(children.next());
                    if (entry != null) {
                        return entry;
                    }
                }
                else {
                    closeDirectory();
                    PendingDirectory directoryToOpen = pending.poll();
                    if (directoryToOpen == null) {
                        return null;
                    }
                    openDirectory(directoryToOpen);
                }
            }
        }
        catch (IOException exception) {
            closeQuietly(exception);
            throw LocalFileSystem.failure("list", directory, exception);
        }
        catch (DirectoryIteratorException exception) {
            closeQuietly(exception.getCause());
            throw LocalFileSystem.failure("list", directory, exception.getCause());
        }
        catch (RuntimeException exception) {
            closeQuietly(exception);
            throw exception;
        }
    }

    private void openDirectory(PendingDirectory pendingDirectory) throws IOException {
        try {
            stream = Files.newDirectoryStream(pendingDirectory.path());
            children = stream.iterator();
            childPrefix = pendingDirectory.relativePath();
        }
        catch (NoSuchFileException | NotDirectoryException goneOrNotADirectory) {
            // Removed since it was seen, or a file where a directory was asked for: nothing under it.
            children = null;
        }
    }

    /** The entry for a directory's child, or null for what is not listed. Subdirectories are queued. */
    private FileEntry entryFor(Path child) throws IOException {
        String name = child.getFileName().toString();
        if (LocalFileSystem.isPartialFile(name)) {
            return null;
        }
        String relativePath = childPrefix + name;
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(child, BasicFileAttributes.class, NOFOLLOW_LINKS);
            if (attributes.isDirectory()) {
                pending.push(new PendingDirectory(child, relativePath + "/"));
                return null;
            }
            if (attributes.isSymbolicLink()) {
                Path target = child.toRealPath();
                if (!target.startsWith(realRoot)) {
                    throw new StorageException(StorageErrorKind.INVALID_LOCATION,
                            "cannot list '%s': '%s' is a symbolic link that leads outside its storage root".formatted(directory, location(relativePath)));
                }
                attributes = Files.readAttributes(target, BasicFileAttributes.class);
            }
        }
        catch (NoSuchFileException vanishedOrDanglingLink) {
            return null;
        }
        // Sockets, pipes, devices and links to directories are not files to move.
        if (!attributes.isRegularFile()) {
            return null;
        }
        return new FileEntry(location(relativePath), attributes.size(), attributes.lastModifiedTime().toInstant());
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

    private void closeDirectory() throws IOException {
        children = null;
        if (stream != null) {
            DirectoryStream<Path> closing = stream;
            stream = null;
            closing.close();
        }
    }

    private void closeQuietly(Throwable failure) {
        pending.clear();
        try {
            closeDirectory();
        }
        catch (IOException exception) {
            failure.addSuppressed(exception);
        }
    }
}
