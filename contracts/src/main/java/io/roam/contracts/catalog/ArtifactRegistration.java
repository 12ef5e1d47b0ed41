package io.roam.contracts.catalog;

import io.roam.contracts.messages.ArtifactKind;
import java.util.Map;

/**
 * Registers an artifact (or finds the one with the same coordinates) and records {@code source} as one
 * of its replicas. The labels of the first registration stay; a later one with other labels adds the
 * keys it brings and keeps the rest.
 *
 * @param labels free-form string pairs to find the artifact by, such as {@code step=1000}; may be empty
 */
public record ArtifactRegistration(String project, ArtifactKind kind, String name, String version,
        Map<String, String> labels, String source) {

    public ArtifactRegistration {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
