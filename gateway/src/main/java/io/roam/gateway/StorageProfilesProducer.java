package io.roam.gateway;

import io.roam.storage.StorageProfiles;
import io.roam.storage.config.StorageConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The gateway only checks that a profile serves each location; it holds no file systems. */
public class StorageProfilesProducer {

    @Produces
    @ApplicationScoped
    StorageProfiles storageProfiles(StorageConfiguration configuration) {
        return new StorageProfiles(configuration.toProfiles());
    }
}
