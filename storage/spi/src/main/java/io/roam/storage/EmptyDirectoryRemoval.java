package io.roam.storage;

/**
 * An optional capability of file systems that keep directories of their own (local disks and POSIX mounts
 * such as NFS or Lustre), unlike object stores, where a directory is only a prefix its keys share: removing
 * the directories that deleting files left empty, so that deleting every file of a tree does not leave the
 * empty tree behind. Callers check with {@code instanceof}.
 */
public interface EmptyDirectoryRemoval {

    /**
     * Removes {@code directory} and every directory under it that holds no file, deepest first. A directory
     * that holds a file, or gains one meanwhile, stays, and so does every directory above it; a storage
     * profile's root always stays. Symbolic links are not followed. Does nothing when no directory is there.
     *
     * @throws StorageException of kind {@link StorageErrorKind#INVALID_LOCATION} when {@code directory} does
     *     not end with {@code /} or lies outside the file system's roots
     */
    void removeEmptyDirectories(Location directory);
}
