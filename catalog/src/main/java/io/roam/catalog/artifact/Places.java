package io.roam.catalog.artifact;

import io.roam.storage.InvalidLocationException;
import io.roam.storage.Location;
import io.roam.storage.StorageException;
import io.roam.storage.StorageProfile;
import io.roam.storage.StorageProfiles;
import io.roam.storage.config.StorageConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * The catalog's view of the storage profiles: not to reach storage (only workers do), but to know where
 * each replica is, and which profiles a {@code near} place names, to pick the nearest copy.
 */
@ApplicationScoped
public class Places {

    private final StorageProfiles profiles;

    public Places(StorageConfiguration configuration) {
        this.profiles = new StorageProfiles(configuration.toProfiles());
    }

    public Place of(String location) {
        try {
            StorageProfile profile = profiles.profileFor(Location.parse(location));
            return new Place(profile.name(), profile.region().orElse(null), profile.cloud().orElse(null));
        }
        catch (InvalidLocationException | StorageException unknown) {
            return Place.UNKNOWN;
        }
    }

    /** The profile of that name, if one is configured. */
    public Optional<StorageProfile> profileNamed(String name) {
        return profiles.all().stream().filter(profile -> profile.name().equals(name)).findFirst();
    }

    /** The cloud of a region, when every profile labelled with that region names the same cloud. */
    public Optional<String> cloudOfRegion(String region) {
        List<String> clouds = profiles.all().stream()
                .filter(profile -> profile.region().filter(region::equals).isPresent())
                .map(profile -> profile.cloud().orElse(null))
                .distinct()
                .toList();
        return clouds.size() == 1 ? Optional.ofNullable(clouds.getFirst()) : Optional.empty();
    }

    /** Whether a configured profile serves the location. */
    public boolean serves(Location location) {
        return profiles.all().stream().anyMatch(profile -> profile.serves(location));
    }
}
