package io.roam.storage;

import static java.util.Comparator.comparingInt;
import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A named storage endpoint bound to the root directories it serves: which backend to use, where, and
 * how to find its credentials.
 *
 * @param name the profile's name, unique in a deployment
 * @param backend the {@link StorageBackend#name()} that serves the roots, for example {@code local}
 * @param roots the directory locations (ending with {@code /}, or a whole bucket) under which this
 *     profile serves every location
 * @param region the region of the endpoint, when the backend has regions
 * @param cloud the cloud or site the endpoint belongs to, for placing transfers near their data
 * @param properties backend settings such as an endpoint or the names of credential sources. Never
 *     secrets themselves: a secret is referenced, by the name of an environment variable or the path
 *     of a file that holds it
 */
public record StorageProfile(
        String name,
        String backend,
        List<Location> roots,
        Optional<String> region,
        Optional<String> cloud,
        Map<String, String> properties) {

    public StorageProfile {
        requireNonNull(name, "name is null");
        requireNonNull(backend, "backend is null");
        requireNonNull(roots, "roots is null");
        requireNonNull(region, "region is null");
        requireNonNull(cloud, "cloud is null");
        requireNonNull(properties, "properties is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("storage profile name is blank");
        }
        if (backend.isBlank()) {
            throw new IllegalArgumentException("storage profile '%s' has a blank backend".formatted(name));
        }
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("storage profile '%s' has no roots".formatted(name));
        }
        for (Location root : roots) {
            if (!root.isDirectory()) {
                throw new IllegalArgumentException("root '%s' of storage profile '%s' is not a directory: it must end with '/'".formatted(root, name));
            }
        }
        roots = List.copyOf(roots);
        properties = Map.copyOf(properties);
    }

    /** Whether one of this profile's roots contains the location. */
    public boolean serves(Location location) {
        return rootFor(location).isPresent();
    }

    /** The most specific of this profile's roots that contains the location, if any does. */
    public Optional<Location> rootFor(Location location) {
        requireNonNull(location, "location is null");
        return roots.stream()
                .filter(root -> root.contains(location))
                .max(comparingInt(root -> root.path().length()));
    }
}
