package io.roam.gateway.requests;

import io.roam.contracts.messages.ArtifactKind;

/** The artifact a request is about, within the request's project. */
public record ArtifactReference(ArtifactKind kind, String name, String version) {
}
