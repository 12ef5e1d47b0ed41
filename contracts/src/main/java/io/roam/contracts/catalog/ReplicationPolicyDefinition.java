package io.roam.contracts.catalog;

import io.roam.contracts.messages.ArtifactKind;
import java.util.List;

/**
 * Asks for every new artifact of a project that matches {@code kinds} and {@code namePattern} to be
 * replicated to each of {@code targets}.
 *
 * @param name unique within the project, for people to refer to the policy
 * @param kinds the kinds of artifact the policy applies to; at least one
 * @param namePattern the artifact (run) names it applies to: a literal name, or a prefix followed by
 *     {@code *} ({@code llama-*}), or {@code *} for every name
 * @param targets directory URI templates (ending in {@code /}) with the placeholders {@code {project}},
 *     {@code {kind}}, {@code {run}} (the artifact's name) and {@code {version}}, such as
 *     {@code abfs://ckpt-east/{run}/{version}/}
 * @param keepLast how many versions per run to keep at each target, the newest; null keeps all
 */
public record ReplicationPolicyDefinition(String project, String name, List<ArtifactKind> kinds, String namePattern,
        List<String> targets, Integer keepLast) {
}
