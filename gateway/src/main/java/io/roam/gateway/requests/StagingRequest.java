package io.roam.gateway.requests;

/** {@code POST /v1/stagings}: put an artifact (usually a dataset) on storage near compute. */
public record StagingRequest(String project, ArtifactReference artifact, String source, String target) {
}
