package io.roam.gateway.requests;

import io.roam.contracts.catalog.ArtifactView;
import io.roam.contracts.catalog.ReplicaResolution;
import io.roam.contracts.messages.ArtifactCoordinates;
import io.roam.gateway.catalog.CatalogClient;
import io.roam.service.InvalidRequestException;
import io.roam.service.ResourceNotFoundException;
import io.roam.storage.Location;
import io.roam.storage.StorageProfiles;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The source of a staging request that names none: the artifact's verified replica nearest the target, as the
 * catalog's {@code resolve} answers a job asking near the target's storage profile (same profile, then region,
 * then cloud, then any), the target's own replica excluded. "Put dataset Y near my GPUs" then needs only the dataset
 * and the place. A staging to a place that holds a replica already still copies: the copy skips the files found
 * there with the same content, and restores those a scratch disk's cleanup removed, which the catalog cannot know.
 */
@ApplicationScoped
public class StagingSources {

    private final CatalogClient catalog;
    private final StorageProfiles profiles;

    public StagingSources(@RestClient CatalogClient catalog, StorageProfiles profiles) {
        this.catalog = catalog;
        this.profiles = profiles;
    }

    /**
     * The location of the replica to stage {@code artifact} from into {@code target}.
     *
     * @throws InvalidRequestException naming the field {@code source} when the catalog records no such artifact, or
     *                                 no verified replica of it, so that the caller learns to name a source
     */
    Location nearest(ArtifactCoordinates artifact, Location target) {
        List<ArtifactView> found = catalog.artifacts(artifact.project(), artifact.kind().wireName(), artifact.name(), artifact.version(),
                List.of(), null, 1).artifacts();
        if (found.isEmpty()) {
            throw new InvalidRequestException("source", "is required: the catalog records no %s '%s' version '%s' in project '%s' to stage from"
                    .formatted(artifact.kind().wireName(), artifact.name(), artifact.version(), artifact.project()));
        }
        UUID artifactId = found.getFirst().id();
        ReplicaResolution resolution;
        try {
            resolution = catalog.resolve(artifactId, profiles.profileFor(target).name(), target.toString());
        }
        catch (ResourceNotFoundException noneAvailable) {
            throw new InvalidRequestException("source", "is required: no replica of %s '%s' version '%s' other than the target is available to stage from"
                    .formatted(artifact.kind().wireName(), artifact.name(), artifact.version()));
        }
        return Location.parse(resolution.replica().location());
    }
}
