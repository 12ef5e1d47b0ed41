package io.roam.storage.hdfs;

import static java.util.Objects.requireNonNull;

import io.roam.storage.EmptyDirectoryRemoval;
import io.roam.storage.FileEntry;
import io.roam.storage.FileIterator;
import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageOutputStream;
import io.roam.storage.StorageProfile;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathIsNotEmptyDirectoryException;
import org.apache.hadoop.hdfs.DistributedFileSystem;

/**
 * A {@link StorageFileSystem} over HDFS, serving the roots of one storage profile through the Hadoop
 * client. It holds one Hadoop {@link DistributedFileSystem} per name node (or HA name service) of its
 * roots, created on first use with {@link FileSystem#newInstance} (never Hadoop's global cache, which
 * another profile or library could close under it) and closed by {@link #close()}.
 *
 * <p>Writes go to a hidden temporary file in the target's directory
 * ({@code .<name>.roam-partial-<random>}), renamed over the target with {@code OVERWRITE} on close: one
 * atomic name node operation. Listings skip such files, and writing a name of that form is refused. A
 * writer that dies mid-write leaves its temporary file behind, ignored; the name node recovers its
 * lease after an hour.
 *
 * <p>Entries carry no native checksum: HDFS's {@code getFileChecksum} is an MD5 of per-block MD5s of
 * CRCs, which depends on the block size and bytes per checksum, matches no other store's checksum, and
 * costs a call to a data node for every block; Roam computes SHA-256 while copying instead.
 */
final class HdfsFileSystem implements StorageFileSystem, EmptyDirectoryRemoval {

    static final String PARTIAL_FILE_MARKER = ".roam-partial-";

    /** Keeps temporary names within HDFS's default 255-byte name limit however long the target's name is. */
    private static final int TEMPORARY_NAME_CODE_POINTS = 32;

    private final StorageProfile profile;
    private final HdfsSettings settings;
    private final Configuration configuration;
    /** By {@link HdfsLocation#authority()}; guarded by {@code this}. */
    private final Map<String, DistributedFileSystem> fileSystems = new HashMap<>();
    /** Guarded by {@code this}. */
    private boolean closed;

    /**
     * @throws IllegalArgumentException when a root is not an HDFS location or a property is invalid
     */
    HdfsFileSystem(StorageProfile profile) {
        this.profile = requireNonNull(profile, "profile is null");
        this.settings = HdfsSettings.of(profile);
        for (Location root : profile.roots()) {
            try {
                HdfsLocation.of(root);
            }
            catch (StorageException exception) {
                throw new IllegalArgumentException("storage profile '%s' uses the hdfs backend, but its root %s".formatted(profile.name(), exception.getMessage()), exception);
            }
        }
        this.configuration = settings.toConfiguration();
    }

    @Override
    public FileIterator list(Location directory) {
        requireNonNull(directory, "directory is null");
        if (!directory.isDirectory()) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION, "'%s' is not a directory: a location to list ends with '/'".formatted(directory));
        }
        HdfsLocation location = resolve(directory);
        return new HdfsFileIterator(directory, fileSystemFor(location), location.path());
    }

    @Override
    public Optional<FileEntry> stat(Location file) {
        HdfsLocation location = resolve(requireFile(file));
        try {
            FileStatus status = fileSystemFor(location).getFileStatus(location.path());
            if (!status.isFile()) {
                return Optional.empty();
            }
            return Optional.of(new FileEntry(file, status.getLen(), Instant.ofEpochMilli(status.getModificationTime())));
        }
        catch (IOException | RuntimeException exception) {
            if (HdfsErrors.kindOf(exception) == StorageErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw HdfsErrors.classify("stat", file, exception);
        }
    }

    @Override
    public InputStream openRead(Location file, long offset) {
        HdfsLocation location = resolve(requireFile(file));
        if (offset < 0) {
            throw new IllegalArgumentException("offset is negative: " + offset);
        }
        try {
            // Fails with FileNotFoundException for a directory as for a missing file.
            FSDataInputStream stream = fileSystemFor(location).open(location.path());
            try {
                stream.seek(offset);
            }
            catch (EOFException beyondTheEnd) {
                stream.close();
                return InputStream.nullInputStream();
            }
            catch (IOException | RuntimeException exception) {
                stream.close();
                throw exception;
            }
            return new HdfsInputStream(stream, file);
        }
        catch (IOException | RuntimeException exception) {
            if (HdfsErrors.kindOf(exception) == StorageErrorKind.NOT_FOUND) {
                throw new StorageException(StorageErrorKind.NOT_FOUND, "cannot read '%s': no such file".formatted(file), exception);
            }
            throw HdfsErrors.classify("read", file, exception);
        }
    }

    @Override
    public StorageOutputStream openWrite(Location file) {
        HdfsLocation location = resolve(requireFile(file));
        String fileName = file.fileName();
        if (isPartialFile(fileName)) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION,
                    "cannot write '%s': names containing '%s' are reserved for Roam's temporary files".formatted(file, PARTIAL_FILE_MARKER));
        }
        DistributedFileSystem fileSystem = fileSystemFor(location);
        Path target = location.path();
        Path temporary = new Path(target.getParent(), temporaryName(fileName));
        try {
            // Creates the missing parent directories; fails rather than replace if the random name is taken.
            FSDataOutputStream stream = fileSystem.create(temporary, false);
            return new HdfsOutputStream(fileSystem, stream, temporary, target, file);
        }
        catch (IOException | RuntimeException exception) {
            throw HdfsErrors.classify("write", file, exception);
        }
    }

    @Override
    public void delete(Location file) {
        HdfsLocation location = resolve(requireFile(file));
        DistributedFileSystem fileSystem = fileSystemFor(location);
        try {
            // A directory at this name is not a file: there is nothing to delete.
            if (fileSystem.getFileStatus(location.path()).isFile()) {
                fileSystem.delete(location.path(), false);
            }
        }
        catch (IOException | RuntimeException exception) {
            // Deleting what is not there is idempotent.
            if (HdfsErrors.kindOf(exception) != StorageErrorKind.NOT_FOUND) {
                throw HdfsErrors.classify("delete", file, exception);
            }
        }
    }

    @Override
    public void removeEmptyDirectories(Location directory) {
        requireNonNull(directory, "directory is null");
        if (!directory.isDirectory()) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION, "'%s' is not a directory: it does not end with '/'".formatted(directory));
        }
        HdfsLocation location = resolve(directory);
        Path rootPath = Path.getPathWithoutSchemeAndAuthority(resolve(profile.rootFor(directory).orElseThrow()).path());
        DistributedFileSystem fileSystem = fileSystemFor(location);
        try {
            if (fileSystem.getFileStatus(location.path()).isDirectory()) {
                removeEmptyTree(fileSystem, location.path(), rootPath);
            }
        }
        catch (FileNotFoundException nothingThere) {
            // No directory to remove.
        }
        catch (IOException | RuntimeException exception) {
            throw HdfsErrors.classify("remove the empty directories of", directory, exception);
        }
    }

    /**
     * Removes the directory when, after its empty subdirectories are removed, it holds nothing; returns whether it
     * is gone. Its children's kinds come with the listing, so only the starting directory is looked up.
     */
    private static boolean removeEmptyTree(DistributedFileSystem fileSystem, Path path, Path rootPath) throws IOException {
        boolean empty = true;
        for (FileStatus child : fileSystem.listStatus(path)) {
            boolean childGone = child.isDirectory() && removeEmptyTree(fileSystem, child.getPath(), rootPath);
            empty &= childGone;
        }
        if (!empty || Path.getPathWithoutSchemeAndAuthority(path).equals(rootPath)) {
            return false;
        }
        try {
            // Not recursive: a file that arrived meanwhile keeps the directory. False only when it was gone already.
            fileSystem.delete(path, false);
            return true;
        }
        catch (PathIsNotEmptyDirectoryException holdsAFile) {
            return false;
        }
    }

    /**
     * Closes the Hadoop file systems, which fails the streams still open.
     *
     * @throws StorageException when a Hadoop file system fails to close; the others are closed anyway
     */
    @Override
    public void close() {
        List<DistributedFileSystem> closing;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            closing = new ArrayList<>(fileSystems.values());
            fileSystems.clear();
        }
        IOException failure = null;
        for (DistributedFileSystem fileSystem : closing) {
            try {
                fileSystem.close();
            }
            catch (IOException exception) {
                if (failure == null) {
                    failure = exception;
                }
                else {
                    failure.addSuppressed(exception);
                }
            }
        }
        if (failure != null) {
            throw new StorageException(HdfsErrors.kindOf(failure),
                    "cannot close the HDFS clients of storage profile '%s': %s".formatted(profile.name(), failure.getMessage()), failure);
        }
    }

    static boolean isPartialFile(String name) {
        return name.startsWith(".") && name.contains(PARTIAL_FILE_MARKER);
    }

    private static String temporaryName(String fileName) {
        int end = fileName.offsetByCodePoints(0, Math.min(TEMPORARY_NAME_CODE_POINTS, fileName.codePointCount(0, fileName.length())));
        return "." + fileName.substring(0, end) + PARTIAL_FILE_MARKER + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /** The Hadoop file system of a location's name node, created on first use. */
    private synchronized DistributedFileSystem fileSystemFor(HdfsLocation location) {
        if (closed) {
            throw new StorageException(StorageErrorKind.FATAL, "cannot reach '%s': the file system of storage profile '%s' is closed".formatted(location.location(), profile.name()));
        }
        DistributedFileSystem existing = fileSystems.get(location.authority());
        if (existing != null) {
            return existing;
        }
        DistributedFileSystem created = newFileSystem(location);
        fileSystems.put(location.authority(), created);
        return created;
    }

    /** Creating a Hadoop file system contacts no server: it reads the configuration and resolves the name node. */
    private DistributedFileSystem newFileSystem(HdfsLocation location) {
        FileSystem fileSystem;
        try {
            fileSystem = FileSystem.newInstance(location.fileSystemUri(), configuration, settings.user().orElse(null));
        }
        catch (InterruptedException exception) {
            Thread.currentThread().interrupt();
            throw new StorageException(StorageErrorKind.TRANSIENT, "interrupted while connecting to '%s'".formatted(location.location()), exception);
        }
        catch (IOException | RuntimeException exception) {
            throw HdfsErrors.classify("connect to", location.location(), exception);
        }
        if (fileSystem instanceof DistributedFileSystem distributed) {
            return distributed;
        }
        try {
            fileSystem.close();
        }
        catch (IOException ignored) {
            // It was never used.
        }
        throw new StorageException(StorageErrorKind.FATAL, "cannot reach '%s': the Hadoop configuration of storage profile '%s' maps 'hdfs' to %s, not to HDFS's own client"
                .formatted(location.location(), profile.name(), fileSystem.getClass().getName()));
    }

    private HdfsLocation resolve(Location location) {
        if (!profile.serves(location)) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION,
                    "'%s' is outside storage profile '%s', which serves %s".formatted(location, profile.name(), profile.roots()));
        }
        return HdfsLocation.of(location);
    }

    private static Location requireFile(Location file) {
        requireNonNull(file, "file is null");
        if (file.isDirectory()) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION, "'%s' is a directory: a file location does not end with '/'".formatted(file));
        }
        return file;
    }
}
