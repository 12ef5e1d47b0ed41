package io.roam.storage;

import static java.util.Objects.requireNonNull;
import static java.util.stream.Collectors.joining;

import java.io.Closeable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks the storage profile and file system for a location. File systems are created on first use,
 * one per profile, and shared: the router is thread safe.
 */
public final class StorageRouter implements Closeable {

    private final StorageProfiles profiles;
    private final Map<String, StorageBackend> backends;
    private final Map<String, StorageFileSystem> fileSystems = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Routes to the backends registered with {@link ServiceLoader} on the thread's context class loader. */
    public StorageRouter(List<StorageProfile> profiles) {
        this(profiles, ServiceLoader.load(StorageBackend.class).stream().map(ServiceLoader.Provider::get).toList());
    }

    /**
     * @throws IllegalArgumentException when two profiles or two backends share a name, two profiles
     *     share a root, or a profile names a backend that is not among {@code backends}
     */
    public StorageRouter(List<StorageProfile> profiles, List<StorageBackend> backends) {
        requireNonNull(profiles, "profiles is null");
        requireNonNull(backends, "backends is null");
        this.profiles = new StorageProfiles(profiles);
        this.backends = backendsByName(backends);

        Set<String> profileNames = new HashSet<>();
        Map<Location, String> profileByRoot = new HashMap<>();
        for (StorageProfile profile : this.profiles.all()) {
            if (!profileNames.add(profile.name())) {
                throw new IllegalArgumentException("two storage profiles are named '%s'".formatted(profile.name()));
            }
            if (!this.backends.containsKey(profile.backend())) {
                throw new IllegalArgumentException("storage profile '%s' uses backend '%s', which is not available; available backends: %s"
                        .formatted(profile.name(), profile.backend(), this.backends.keySet().stream().sorted().collect(joining(", "))));
            }
            for (Location root : profile.roots()) {
                String other = profileByRoot.putIfAbsent(root.canonical(), profile.name());
                if (other != null && !other.equals(profile.name())) {
                    throw new IllegalArgumentException("root '%s' is configured in both storage profiles '%s' and '%s'".formatted(root, other, profile.name()));
                }
            }
        }
    }

    private static Map<String, StorageBackend> backendsByName(List<StorageBackend> backends) {
        Map<String, StorageBackend> byName = new HashMap<>();
        for (StorageBackend backend : backends) {
            StorageBackend other = byName.putIfAbsent(backend.name(), backend);
            if (other != null) {
                throw new IllegalArgumentException("two storage backends are named '%s': %s and %s"
                        .formatted(backend.name(), other.getClass().getName(), backend.getClass().getName()));
            }
        }
        return Map.copyOf(byName);
    }

    public List<StorageProfile> profiles() {
        return profiles.all();
    }

    /**
     * The profile serving a location: the one with the most specific root that contains it.
     *
     * @throws StorageException of kind {@link StorageErrorKind#INVALID_LOCATION} when no profile serves it
     */
    public StorageProfile profileFor(Location location) {
        return profiles.profileFor(location);
    }

    /**
     * The file system of the profile serving a location, created on first use.
     *
     * @throws StorageException of kind {@link StorageErrorKind#INVALID_LOCATION} when no profile serves it
     * @throws IllegalStateException when the router is closed
     */
    public StorageFileSystem fileSystem(Location location) {
        StorageProfile profile = profileFor(location);
        StorageFileSystem existing = fileSystems.get(profile.name());
        if (existing != null && !closed) {
            return existing;
        }
        // Creating a client can be slow, but happens once per profile; the lock keeps close() from
        // missing a file system created while it runs.
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("storage router is closed");
            }
            return fileSystems.computeIfAbsent(profile.name(), name -> backends.get(profile.backend()).create(profile));
        }
    }

    /**
     * Closes every file system created so far. When some fail to close, the others are still closed
     * and the first failure is thrown with the rest suppressed.
     */
    @Override
    public synchronized void close() {
        closed = true;
        RuntimeException failure = null;
        for (StorageFileSystem fileSystem : fileSystems.values()) {
            try {
                fileSystem.close();
            }
            catch (RuntimeException exception) {
                if (failure == null) {
                    failure = exception;
                }
                else {
                    failure.addSuppressed(exception);
                }
            }
        }
        fileSystems.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
