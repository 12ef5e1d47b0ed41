package io.roam.storage.local;

import io.roam.storage.StorageBackend;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageProfile;

/** Local disks and POSIX mounts (NFS, Lustre, FUSE), reached through {@code java.nio}. */
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
