package io.roam.storage;

import static java.util.Objects.requireNonNull;
import static java.util.stream.Collectors.joining;

import java.util.List;

/**
 * The configured storage profiles of a service, and which one serves a location. Services that only
 * validate locations (the gateway) use this alone; the {@link StorageRouter} adds the file systems.
 */
public final class StorageProfiles {

    private final List<StorageProfile> profiles;

    public StorageProfiles(List<StorageProfile> profiles) {
        this.profiles = List.copyOf(requireNonNull(profiles, "profiles is null"));
    }

    public List<StorageProfile> all() {
        return profiles;
    }

    /**
     * The profile serving a location: the one with the most specific root that contains it.
     *
     * @throws StorageException of kind {@link StorageErrorKind#INVALID_LOCATION} when no profile serves it
     */
    public StorageProfile profileFor(Location location) {
        requireNonNull(location, "location is null");
        StorageProfile best = null;
        int bestRootLength = -1;
        for (StorageProfile profile : profiles) {
            int rootLength = profile.rootFor(location).map(root -> root.path().length()).orElse(-1);
            if (rootLength > bestRootLength) {
                best = profile;
                bestRootLength = rootLength;
            }
        }
        if (best == null) {
            String names = profiles.isEmpty() ? "none" : profiles.stream().map(StorageProfile::name).collect(joining(", "));
            throw new StorageException(StorageErrorKind.INVALID_LOCATION,
                    "no storage profile serves '%s'; configured profiles: %s".formatted(location, names));
        }
        return best;
    }
}
