package io.roam.storage.local;

import io.roam.storage.StorageBackend;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageProfile;

/**
 * Local disks and POSIX mounts (NFS, Lustre, FUSE), reached through {@code java.nio}.
 *
 * <p>Profile property ({@code roam.storage.profiles.<name>.properties.<key>}), optional; others are refused:
 * <dl>
 *   <dt>{@code sync}</dt>
 *   <dd>{@code true} (default) to sync every written file to the disk before renaming it into place, so
 *       that a completed copy survives a crash of the machine; {@code false} for scratch disks whose
 *       contents do not outlive the node, where a file is published as soon as it is written and reaches
 *       the disk when the kernel writes it back.</dd>
 * </dl>
 */
public final class LocalStorageBackend implements StorageBackend {

    public static final String NAME = "local";

    @Override
    public String name() {
        return NAME;
    }

    /**
     * @throws IllegalArgumentException when a root of the profile is not a local path
     */
    @Override
    public StorageFileSystem create(StorageProfile profile) {
        return new LocalFileSystem(profile);
    }
}
