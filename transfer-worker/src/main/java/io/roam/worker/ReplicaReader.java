package io.roam.worker;

import io.roam.contracts.messages.ManifestEntry;
import io.roam.storage.Checksum;
import io.roam.storage.EmptyDirectoryRemoval;
import io.roam.storage.FileEntry;
import io.roam.storage.FileIterator;
import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageErrors;
import io.roam.storage.StorageException;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageRouter;
import io.roam.transfer.TransferCancellation;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Works on the files of one existing replica, for the catalog's own requests: reads and digests all of
 * them (a verification), or deletes all of them (a deletion). The files are found as the copying engine
 * finds those of a source: a location ending in {@code /} is a directory and means every file under it;
 * any other names the file there, or, when there is none, the directory of that name (a replica whose
 * request wrote its target without the {@code /}).
 */
@ApplicationScoped
public class ReplicaReader {

    private static final int BUFFER_SIZE = 1024 * 1024;

    private final StorageRouter router;

    public ReplicaReader(StorageRouter router) {
        this.router = router;
    }

    /**
     * The manifest of what is at the location now, sorted by path, each file read in full and digested
     * with SHA-256 as the copying engine does.
     *
     * @throws StorageException of kind {@link StorageErrorKind#NOT_FOUND} when no file is there
     */
    public List<ManifestEntry> digestAll(Location location, TransferCancellation cancellation) {
        StorageFileSystem fileSystem = router.fileSystem(location);
        List<ManifestEntry> manifest = new ArrayList<>();
        byte[] buffer = new byte[BUFFER_SIZE];
        Replica replica = find(fileSystem, location);
        if (replica.files().isEmpty()) {
            throw new StorageException(StorageErrorKind.NOT_FOUND, "no file at or under '" + location + "'");
        }
        for (FileEntry file : replica.files()) {
            cancellation.throwIfCancelled();
            manifest.add(digest(fileSystem, file.location(), replica.pathOf(file), buffer, cancellation));
        }
        manifest.sort(Comparator.comparing(ManifestEntry::path));
        return manifest;
    }

    /**
     * Deletes every file at the location, and then, on file systems that keep directories, the directories
     * that left empty; deleting what is already gone is not an error.
     *
     * @return how many files were deleted
     */
    public long deleteAll(Location location, TransferCancellation cancellation) {
        StorageFileSystem fileSystem = router.fileSystem(location);
        long deleted = 0;
        Replica replica = find(fileSystem, location);
        // Listed first, deleted after: some stores page their listings by the last key seen.
        for (FileEntry file : replica.files()) {
            cancellation.throwIfCancelled();
            fileSystem.delete(file.location());
            deleted++;
        }
        if (fileSystem instanceof EmptyDirectoryRemoval directories) {
            replica.directory().ifPresent(directories::removeEmptyDirectories);
        }
        return deleted;
    }

    private static Replica find(StorageFileSystem fileSystem, Location location) {
        if (!location.isDirectory()) {
            Optional<FileEntry> file = fileSystem.stat(location);
            if (file.isPresent()) {
                return new Replica(Optional.empty(), List.of(file.get()));
            }
        }
        Location directory = location.asDirectory();
        return new Replica(Optional.of(directory), list(fileSystem, directory));
    }

    /**
     * The files of a replica, and the directory they are under unless it is one file, whose manifest path is
     * then its name, as the engine records a file copied on its own.
     */
    private record Replica(Optional<Location> directory, List<FileEntry> files) {

        String pathOf(FileEntry file) {
            return directory.map(parent -> parent.relativePathOf(file.location())).orElseGet(() -> file.location().fileName());
        }
    }

    private static List<FileEntry> list(StorageFileSystem fileSystem, Location directory) {
        List<FileEntry> files = new ArrayList<>();
        FileIterator listing = fileSystem.list(directory);
        while (listing.hasNext()) {
            files.add(listing.next());
        }
        return files;
    }

    private static ManifestEntry digest(StorageFileSystem fileSystem, Location file, String path, byte[] buffer,
            TransferCancellation cancellation) {
        MessageDigest digest = sha256();
        long size = 0;
        try (InputStream input = fileSystem.openRead(file, 0)) {
            for (int read = input.read(buffer); read >= 0; read = input.read(buffer)) {
                cancellation.throwIfCancelled();
                digest.update(buffer, 0, read);
                size += read;
            }
        }
        catch (IOException failure) {
            throw StorageErrors.classify(failure);
        }
        Checksum checksum = Checksum.sha256(digest.digest());
        return new ManifestEntry(path, size, checksum.algorithm(), checksum.value());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java platform provides SHA-256", impossible);
        }
    }
}
