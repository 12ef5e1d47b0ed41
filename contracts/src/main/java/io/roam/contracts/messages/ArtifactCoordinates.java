package io.roam.contracts.messages;

import static java.util.Objects.requireNonNull;

/**
 * The identity of a logical artifact: one dataset, checkpoint or model version of a project. Two
 * registrations with the same coordinates name the same artifact.
 */
public record ArtifactCoordinates(String project, ArtifactKind kind, String name, String version) {

    public ArtifactCoordinates {
        requireNonNull(project, "project is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
    }
}
