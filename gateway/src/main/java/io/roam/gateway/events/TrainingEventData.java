package io.roam.gateway.events;

import java.util.Map;

/**
 * The data of a training event: which artifact (project, run, version), where the job saved it, and
 * labels to find it by. Unknown fields are refused, as everywhere in Roam's API.
 *
 * @param run the artifact's name, such as the training run
 * @param version such as {@code checkpoint-1000} or the step
 * @param uri where the job saved it, a storage URI; a directory ends with {@code /}
 */
public record TrainingEventData(String project, String run, String version, String uri, Map<String, String> labels) {
}
