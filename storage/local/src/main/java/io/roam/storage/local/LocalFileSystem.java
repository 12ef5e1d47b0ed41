package io.roam.storage.local;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static java.util.Objects.requireNonNull;

import io.roam.storage.EmptyDirectoryRemoval;
import io.roam.storage.FileEntry;
import io.roam.storage.FileIterator;
import io.roam.storage.Location;
import io.roam.storage.ProfileProperties;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageOutputStream;
import io.roam.storage.StorageProfile;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@link StorageFileSystem} over the local file system, serving the roots of one storage profile.
 *
 * <p>Confinement: every location must lie under one of the profile's roots, and stay there once
 * symbolic links are followed. Reads and stats follow links and check where they lead; writes and
 * deletes check the file's directory and then act on the name itself, so writing over or deleting a
 * link replaces or removes the link, never its target. This guards against links planted in the tree,
 * not against a concurrent attacker swapping directories for links between the check and the use.
 *
 * <p>Writes go to a hidden temporary file in the target's directory
 * ({@code .<name>.roam-partial-<random>}), which is synced (unless the profile's {@code sync} is
 * {@code false}) and atomically renamed over the target on close. Listings skip such files, and writing a
 * name of that form is refused. A process that dies mid-write leaves its temporary file behind, ignored.
 *
 * <p>Holds no resources: {@link #close()} does nothing, and open streams stay usable.
 */
final class LocalFileSystem implements StorageFileSystem, EmptyDirectoryRemoval {

    static final String PARTIAL_FILE_MARKER = ".roam-partial-";
    static final String SYNC_PROPERTY = "sync";

    private static final int BUFFER_SIZE = 64 * 1024;
    /** Keeps temporary names within the 255-byte name limit however long the target's name is. */
    private static final int TEMPORARY_NAME_CODE_POINTS = 32;

    private final StorageProfile profile;
    private final boolean sync;

    LocalFileSystem(StorageProfile profile) {
        this.profile = requireNonNull(profile, "profile is null");
        ProfileProperties properties = new ProfileProperties(profile);
        this.sync = properties.bool(SYNC_PROPERTY, true);
        properties.requireKnown(List.of(SYNC_PROPERTY));
        for (Location root : profile.roots()) {
            if (!root.scheme().equals("file")) {
                throw new IllegalArgumentException("storage profile '%s' uses the local backend, but its root '%s' is not a local path"
                        .formatted(profile.name(), root));
            }
        }
    }

    @Override
    public FileIterator list(Location directory) {
        requireNonNull(directory, "directory is null");
        if (!directory.isDirectory()) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION, "'%s' is not a directory: a location to list ends with '/'".formatted(directory));
        }
        try {
            Path realRoot = realRoot(directory);
            RealPath start = confine(directory, toPath(directory), realRoot);
            return new LocalFileIterator(directory, start.path(), realRoot);
        }
        catch (IOException exception) {
            throw failure("list", directory, exception);
        }
    }

    @Override
    public Optional<FileEntry> stat(Location file) {
        requireFile(file);
        try {
            RealPath path = confine(file, toPath(file), realRoot(file));
            if (!path.exists()) {
                return Optional.empty();
            }
            BasicFileAttributes attributes = Files.readAttributes(path.path(), BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(new FileEntry(file, attributes.size(), attributes.lastModifiedTime().toInstant()));
        }
        catch (NoSuchFileException exception) {
            return Optional.empty();
        }
        catch (IOException exception) {
            throw failure("stat", file, exception);
        }
    }

    @Override
    public InputStream openRead(Location file, long offset) {
        requireFile(file);
        if (offset < 0) {
            throw new IllegalArgumentException("offset is negative: " + offset);
        }
        try {
            RealPath path = confine(file, toPath(file), realRoot(file));
            if (!path.exists() || !Files.isRegularFile(path.path())) {
                throw new StorageException(StorageErrorKind.NOT_FOUND, "cannot read '%s': no such file".formatted(file));
            }
            FileChannel channel = FileChannel.open(path.path(), READ);
            try {
                channel.position(offset);
            }
            catch (IOException exception) {
                channel.close();
                throw exception;
            }
            return new BufferedInputStream(Channels.newInputStream(channel), BUFFER_SIZE);
        }
        catch (IOException exception) {
            throw failure("read", file, exception);
        }
    }

    @Override
    public StorageOutputStream openWrite(Location file) {
        requireFile(file);
        String fileName = file.fileName();
        if (isPartialFile(fileName)) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION,
                    "cannot write '%s': names containing '%s' are reserved for Roam's temporary files".formatted(file, PARTIAL_FILE_MARKER));
        }
        try {
            Path directory = confine(file, toPath(file).getParent(), realRoot(file)).path();
            if (Files.isDirectory(directory.resolve(fileName), NOFOLLOW_LINKS)) {
                // Else the bytes would be written, and the rename at the end would fail in a way that reads as transient.
                throw new StorageException(StorageErrorKind.INVALID_LOCATION,
                        "cannot write '%s': a directory is there (a location naming a directory ends with '/')".formatted(file));
            }
            Files.createDirectories(directory);
            Path temporary = directory.resolve(temporaryName(fileName));
            FileChannel channel = FileChannel.open(temporary, CREATE_NEW, WRITE);
            return new AtomicFileOutputStream(channel, temporary, directory.resolve(fileName), BUFFER_SIZE, sync);
        }
        catch (IOException exception) {
            throw failure("write", file, exception);
        }
    }

    @Override
    public void delete(Location file) {
        requireFile(file);
        try {
            Path path = confine(file, toPath(file).getParent(), realRoot(file)).path().resolve(file.fileName());
            // A directory at this name is not a file: there is nothing to delete.
            if (Files.exists(path, NOFOLLOW_LINKS) && !Files.isDirectory(path, NOFOLLOW_LINKS)) {
                Files.deleteIfExists(path);
            }
        }
        catch (IOException exception) {
            throw failure("delete", file, exception);
        }
    }

    @Override
    public void removeEmptyDirectories(Location directory) {
        requireNonNull(directory, "directory is null");
        if (!directory.isDirectory()) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION, "'%s' is not a directory: it does not end with '/'".formatted(directory));
        }
        try {
            Path realRoot = realRoot(directory);
            RealPath start = confine(directory, toPath(directory), realRoot);
            if (!start.exists() || !Files.isDirectory(start.path(), NOFOLLOW_LINKS)) {
                return;
            }
            Files.walkFileTree(start.path(), new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult postVisitDirectory(Path visited, IOException failure) throws IOException {
                    if (failure != null) {
                        throw failure;
                    }
                    if (!visited.equals(realRoot)) {
                        try {
                            Files.delete(visited);
                        }
                        catch (DirectoryNotEmptyException holdsAFile) {
                            // Kept, and so is every directory above it, which holds this one.
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (IOException exception) {
            throw failure("remove the empty directories of", directory, exception);
        }
    }

    @Override
    public void close() {
    }

    static boolean isPartialFile(String name) {
        return name.startsWith(".") && name.contains(PARTIAL_FILE_MARKER);
    }

    private static String temporaryName(String fileName) {
        int end = fileName.offsetByCodePoints(0, Math.min(TEMPORARY_NAME_CODE_POINTS, fileName.codePointCount(0, fileName.length())));
        return "." + fileName.substring(0, end) + PARTIAL_FILE_MARKER + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /** A path on disk with the symbolic links of its existing part resolved. */
    private record RealPath(Path path, boolean exists) {}

    private Path realRoot(Location location) throws IOException {
        Location root = profile.rootFor(location).orElseThrow(() -> new StorageException(
                StorageErrorKind.INVALID_LOCATION,
                "'%s' is outside storage profile '%s', which serves %s".formatted(location, profile.name(), profile.roots())));
        return realPath(toPath(root)).path();
    }

    /** Resolves the links of a path and refuses it when it then leaves the root. */
    private static RealPath confine(Location location, Path path, Path realRoot) throws IOException {
        RealPath real = realPath(path);
        if (!real.path().startsWith(realRoot)) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION,
                    "'%s' leads outside its storage root through a symbolic link".formatted(location));
        }
        return real;
    }

    /**
     * The real path of a file that may not exist yet: the nearest existing ancestor with its symbolic
     * links resolved, followed by the missing names as they are. Missing names contain no {@code ..}
     * (locations refuse it), so they cannot climb back out.
     */
    private static RealPath realPath(Path path) throws IOException {
        for (Path candidate = path; candidate != null; candidate = candidate.getParent()) {
            if (Files.exists(candidate, NOFOLLOW_LINKS)) {
                try {
                    return new RealPath(candidate.toRealPath().resolve(candidate.relativize(path)), candidate.equals(path));
                }
                catch (NoSuchFileException danglingLink) {
                    // A link to nothing is as good as missing: keep looking upwards.
                }
            }
        }
        throw new NoSuchFileException(path.toString(), null, "no ancestor exists");
    }

    private static Path toPath(Location location) {
        try {
            return Path.of("/" + location.path());
        }
        catch (InvalidPathException exception) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION,
                    "'%s' cannot be a local path in this JVM's file name encoding (%s): %s; run with a UTF-8 locale such as LANG=C.UTF-8"
                            .formatted(location, System.getProperty("sun.jnu.encoding"), exception.getReason()),
                    exception);
        }
    }

    private static void requireFile(Location file) {
        requireNonNull(file, "file is null");
        if (file.isDirectory()) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION, "'%s' is a directory: a file location does not end with '/'".formatted(file));
        }
    }

    static StorageException failure(String operation, Location location, IOException exception) {
        StorageErrorKind kind = switch (exception) {
            case NoSuchFileException ignored -> StorageErrorKind.NOT_FOUND;
            case NotDirectoryException ignored -> StorageErrorKind.NOT_FOUND;
            case AccessDeniedException ignored -> StorageErrorKind.ACCESS_DENIED;
            // Roam makes no conditional writes locally: something is in the way of a directory it creates.
            case FileAlreadyExistsException ignored -> StorageErrorKind.FATAL;
            case DirectoryNotEmptyException ignored -> StorageErrorKind.FATAL;
            case FileSystemLoopException ignored -> StorageErrorKind.FATAL;
            // The rest may pass: a full disk being cleaned up, a network mount recovering.
            default -> StorageErrorKind.TRANSIENT;
        };
        String detail = exception.getMessage() == null
                ? exception.getClass().getSimpleName()
                : exception.getClass().getSimpleName() + ": " + exception.getMessage();
        return new StorageException(kind, "cannot %s '%s': %s".formatted(operation, location, detail), exception);
    }
}
