package io.roam.storage;

/**
 * A kind of storage, found by {@link java.util.ServiceLoader}: each backend module registers its
 * implementation in {@code META-INF/services/io.roam.storage.StorageBackend}. Implementations have a
 * public no-argument constructor and are cheap to construct; the work happens in {@link #create}.
 */
public interface StorageBackend {

    /** The name that {@link StorageProfile#backend()} refers to, for example {@code local} or {@code s3}. */
    String name();

    /**
     * Creates a file system serving the profile's roots. The file system refuses locations outside
     * those roots with {@link StorageErrorKind#INVALID_LOCATION}.
     *
     * @throws IllegalArgumentException when the profile does not suit this backend, for example a root
     *     with another scheme or a missing required property
     */
    StorageFileSystem create(StorageProfile profile);
}
