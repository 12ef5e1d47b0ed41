package io.roam.gateway.events;

import io.roam.contracts.messages.ArtifactCoordinates;
import io.roam.storage.Location;

/**
 * Whether whoever delivered a training event may announce this artifact at this source: over HTTP the caller's
 * project role and the source's storage profile, from Kafka the topic the event came on. Runs after the event is
 * validated and before anything is registered or published.
 */
@FunctionalInterface
public interface AnnouncementCheck {

    /** @throws RuntimeException that refuses the event (a 403 over HTTP, a dead letter from Kafka) */
    void check(ArtifactCoordinates artifact, Location source);
}
