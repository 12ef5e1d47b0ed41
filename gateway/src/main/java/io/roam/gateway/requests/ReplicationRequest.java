package io.roam.gateway.requests;

import java.util.List;

/** {@code POST /v1/replications}: copy an artifact from its source to one or more targets. */
public record ReplicationRequest(String project, ArtifactReference artifact, String source, List<String> targets) {
}
