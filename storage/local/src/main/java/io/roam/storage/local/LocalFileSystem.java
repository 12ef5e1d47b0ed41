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
import io.roam.storage.ResumableOutputStream;
import io.roam.storage.ResumableWrite;
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
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * name of that form is refused.
 *
 * <p>A {@linkplain ResumableWrite resumable write} uses a partial file whose name follows from the
 * target's ({@code .<name>.roam-partial-resumable-<hash of the name>}), locked while it is written (POSIX
 * record locks, which the system releases when the process dies). A process that dies mid-write leaves it,
 * unlocked, for the next resumable write of the same file, which keeps the blocks that hold the bytes it
 * writes and writes only the others; until then it is ignored. A partial file that another live writer
 * holds, or that cannot be locked (a mount without locking), is left alone, and the write starts afresh
 * in a file of its own. A fresh write that dies leaves its temporary file behind, ignored.
 *
 * <p>{@link #close()} abandons the resumable writes still open, as the death of the process would; other
 * open streams stay usable.
 */
final class LocalFileSystem implements StorageFileSystem, ResumableWrite, EmptyDirectoryRemoval {

    static final String PARTIAL_FILE_MARKER = ".roam-partial-";
    /** Follows {@link #PARTIAL_FILE_MARKER} in the names of partial files that later writes continue. */
    static final String RESUMABLE_MARKER = "resumable-";
    static final String SYNC_PROPERTY = "sync";
    /**
     * The partial files a resumable write of this process has open: at most one channel per file, because
     * closing any channel of a file releases every lock the process holds on it.
     */
    private static final Set<Path> PARTIAL_FILES_IN_USE = ConcurrentHashMap.newKeySet();

    static final long MINIMUM_RESUMABLE_SIZE = 8L * AtomicFileOutputStream.RESUME_BLOCK_SIZE;

    private static final int BUFFER_SIZE = 64 * 1024;
    /** Keeps temporary names within the 255-byte name limit however long the target's name is. */
    private static final int TEMPORARY_NAME_CODE_POINTS = 32;

    private final StorageProfile profile;
    private final boolean sync;
    private final Set<AtomicFileOutputStream> openResumableWrites = ConcurrentHashMap.newKeySet();

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
    public AtomicFileOutputStream openWrite(Location file) {
        Path target = prepareWrite(file);
        try {
            return freshWrite(target);
        }
        catch (IOException exception) {
            throw failure("write", file, exception);
        }
    }

    /**
     * Continues the partial file an unfinished write of the same file left, if any, and else starts one
     * that a later write can continue. A partial file in use by a live writer (locked, in this process or
     * another), or one that cannot be locked (a mount without locks), is left alone: the write is then a
     * fresh one, into a temporary file of its own.
     */
    @Override
    public ResumableOutputStream openResumableWrite(Location file) {
        Path target = prepareWrite(file);
        try {
            Optional<AtomicFileOutputStream> resumed = claimPartialFile(target);
            return resumed.isPresent() ? resumed.get() : freshWrite(target);
        }
        catch (IOException exception) {
            throw failure("write", file, exception);
        }
    }

    /**
     * A file smaller than {@value #MINIMUM_RESUMABLE_SIZE} bytes is written fresh: rewriting it after a crash costs
     * less than the lock, lookups and second rename that keep a write resumable (about a tenth of the time of
     * copying a 4 KiB file, measured with {@code roam cp} on 20,000 of them).
     */
    @Override
    public ResumableOutputStream openResumableWrite(Location file, long expectedSize) {
        return expectedSize >= MINIMUM_RESUMABLE_SIZE ? openResumableWrite(file) : openWrite(file);
    }

    /** Checks that {@code file} can be written and creates its directory; returns its path, in a directory confined to the root. */
    private Path prepareWrite(Location file) {
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
            createDirectories(file, directory);
            return directory.resolve(fileName);
        }
        catch (IOException exception) {
            throw failure("write", file, exception);
        }
    }

    /**
     * Creates the directory of a file and its missing parents. A file in the way of one of them is the
     * caller's error, reported as such: the system's own error for it (ENOTDIR, with no exception type of
     * its own) would read as transient and be retried in vain.
     */
    private static void createDirectories(Location file, Path directory) throws IOException {
        try {
            Files.createDirectories(directory);
        }
        catch (FileSystemException notCreated) {
            Path existing = directory;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing != null && !Files.isDirectory(existing)) {
                // Roam makes no conditional writes: something is in the way of a directory it needs.
                throw new StorageException(StorageErrorKind.FATAL, "cannot write '%s': '%s' is a file, not a directory".formatted(file, existing));
            }
            throw notCreated;
        }
    }

    private AtomicFileOutputStream freshWrite(Path target) throws IOException {
        Path temporary = uniqueTemporaryName(target);
        FileChannel channel = FileChannel.open(temporary, CREATE_NEW, WRITE);
        return new AtomicFileOutputStream(channel, temporary, target, BUFFER_SIZE, sync);
    }

    /**
     * Opens and locks the partial file of {@code target}, creating it when there is none. Empty when
     * another writer holds it, when it cannot be locked, or when it was replaced while being locked (the
     * writer that held it published or removed it): the path must name the same file after the lock is
     * taken as before, so that a writer never continues a file that is being published.
     */
    private Optional<AtomicFileOutputStream> claimPartialFile(Path target) {
        Path partial = target.resolveSibling(partialName(target.getFileName().toString()));
        if (!PARTIAL_FILES_IN_USE.add(partial)) {
            // Opening it again would be harmless, but closing that channel would drop this process's lock on the file.
            return Optional.empty();
        }
        FileChannel channel = null;
        try {
            Optional<Object> identity;
            // Asked first, without an exception, because nearly every write finds none: an exception per file would cost
            // more than the rest of this.
            if (Files.exists(partial, NOFOLLOW_LINKS)) {
                identity = fileIdentity(partial);
                channel = FileChannel.open(partial, READ, WRITE, NOFOLLOW_LINKS);
            }
            else {
                channel = FileChannel.open(partial, CREATE_NEW, READ, WRITE, NOFOLLOW_LINKS);
                identity = fileIdentity(partial);
            }
            if (channel.tryLock() != null && identity.isPresent() && identity.equals(fileIdentity(partial))) {
                AtomicFileOutputStream stream = AtomicFileOutputStream.resuming(channel, partial, target, BUFFER_SIZE, sync,
                        () -> uniqueTemporaryName(target), finished -> {
                            openResumableWrites.remove(finished);
                            PARTIAL_FILES_IN_USE.remove(partial);
                        });
                openResumableWrites.add(stream);
                return Optional.of(stream);
            }
        }
        catch (IOException | OverlappingFileLockException | UnsupportedOperationException notLockable) {
            // Written fresh instead, below: a mount without locks, a file not regular, or a race lost.
        }
        closeQuietly(channel);
        PARTIAL_FILES_IN_USE.remove(partial);
        return Optional.empty();
    }

    /** What tells one file from another at that path ({@code dev} and {@code inode} on Unix), or empty when nothing is there. */
    private static Optional<Object> fileIdentity(Path path) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW_LINKS);
            return Optional.of(attributes.fileKey() != null ? attributes.fileKey() : attributes.creationTime());
        }
        catch (NoSuchFileException nothingThere) {
            return Optional.empty();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            }
            catch (IOException ignored) {
                // Nothing was written through it.
            }
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

    /** Abandons the resumable writes still open, as the death of the process would: their partial files stay, unlocked. */
    @Override
    public void close() {
        List.copyOf(openResumableWrites).forEach(AtomicFileOutputStream::abandon);
    }

    static boolean isPartialFile(String name) {
        return name.startsWith(".") && name.contains(PARTIAL_FILE_MARKER);
    }

    /** A hidden name in the target's directory that no other write uses. */
    private static Path uniqueTemporaryName(Path target) {
        String fileName = target.getFileName().toString();
        return target.resolveSibling(hiddenPrefix(fileName) + PARTIAL_FILE_MARKER + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
    }

    /**
     * The name of the partial file every resumable write of {@code fileName} looks for: the same one each
     * time, and another for every other name, however long the names are.
     */
    static String partialName(String fileName) {
        byte[] nameDigest = sha256().digest(fileName.getBytes(StandardCharsets.UTF_8));
        return hiddenPrefix(fileName) + PARTIAL_FILE_MARKER + RESUMABLE_MARKER + HexFormat.of().formatHex(nameDigest, 0, 8);
    }

    /** A dot and the name's first code points: enough for a person to see whose file it is, within the 255-byte name limit. */
    private static String hiddenPrefix(String fileName) {
        int end = fileName.offsetByCodePoints(0, Math.min(TEMPORARY_NAME_CODE_POINTS, fileName.codePointCount(0, fileName.length())));
        return "." + fileName.substring(0, end);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException unavailable) {
            throw new IllegalStateException("every Java platform has SHA-256", unavailable);
        }
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
