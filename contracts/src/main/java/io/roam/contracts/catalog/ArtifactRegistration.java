package io.roam.contracts.catalog;

import io.roam.contracts.messages.ArtifactKind;

/**
 * Registers an artifact (or finds the one with the same coordinates) and records {@code source} as one
 * of its replicas.
 */
public record ArtifactRegistration(String project, ArtifactKind kind, String name, String version, String source) {
}
