package io.roam.gateway.requests;

import io.roam.contracts.messages.ArtifactKind;
import java.util.Map;

/**
 * The artifact a request is about, within the request's project.
 *
 * @param labels optional string pairs to find the artifact by later, such as {@code {"step": "1000"}}
 */
public record ArtifactReference(ArtifactKind kind, String name, String version, Map<String, String> labels) {
}
