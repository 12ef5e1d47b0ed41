package io.roam.gateway.security;

import static java.util.Objects.requireNonNull;

import io.roam.storage.Location;
import io.roam.storage.StorageProfile;
import io.roam.storage.StorageProfiles;
import io.roam.storage.config.StorageConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Which projects may use which storage profile: {@code roam.storage.profiles.<name>.readers} may copy from its
 * locations, {@code .writers} to them ({@code *}, the default, is every project). Answers with the reason of a
 * refusal, naming the profile and the project and never a credential, so that REST callers get it as a 403 and
 * training events from Kafka as a dead-letter reason.
 */
@ApplicationScoped
public class StoragePermissions {

    private final StorageProfiles profiles;
    private final StorageConfiguration configuration;

    public StoragePermissions(StorageProfiles profiles, StorageConfiguration configuration) {
        this.profiles = profiles;
        this.configuration = configuration;
    }

    /** Why {@code project} may not copy from {@code source}, if it may not. The location must be served by a profile. */
    public Optional<String> refusalToRead(Location source, String project) {
        StorageProfile profile = profiles.profileFor(requireNonNull(source, "source is null"));
        return admits(configuration.profiles().get(profile.name()).readers(), project)
                ? Optional.empty()
                : Optional.of("storage profile '" + profile.name() + "' may not be read by project '" + project + "'");
    }

    /** Why {@code project} may not copy to {@code target}, if it may not. The location must be served by a profile. */
    public Optional<String> refusalToWrite(Location target, String project) {
        StorageProfile profile = profiles.profileFor(requireNonNull(target, "target is null"));
        return admits(configuration.profiles().get(profile.name()).writers(), project)
                ? Optional.empty()
                : Optional.of("storage profile '" + profile.name() + "' may not be written by project '" + project + "'");
    }

    private static boolean admits(List<String> projects, String project) {
        requireNonNull(project, "project is null");
        return projects.stream().map(String::strip).anyMatch(allowed -> allowed.equals(StorageConfiguration.EVERY_PROJECT)
                || allowed.equals(project));
    }
}
