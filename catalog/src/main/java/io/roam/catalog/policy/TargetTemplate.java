package io.roam.catalog.policy;

import static java.util.Objects.requireNonNull;

import io.roam.contracts.messages.ArtifactCoordinates;
import io.roam.storage.Location;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a policy copies an artifact: a directory URI with placeholders for the artifact's coordinates,
 * {@code {project}}, {@code {kind}}, {@code {run}} (its name) and {@code {version}}. The filled-in text
 * is parsed as a {@link Location}, so a value cannot smuggle in a traversal or another bucket.
 */
public record TargetTemplate(String text) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Set<String> PLACEHOLDERS = Set.of("project", "kind", "run", "version");

    public TargetTemplate {
        requireNonNull(text, "text is null");
    }

    /**
     * @throws IllegalArgumentException when the template names an unknown placeholder, or filled in with
     *     sample values is not a directory location
     */
    public static TargetTemplate parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a target is required");
        }
        Matcher placeholders = PLACEHOLDER.matcher(text);
        while (placeholders.find()) {
            if (!PLACEHOLDERS.contains(placeholders.group(1))) {
                throw new IllegalArgumentException("'" + text + "' names the unknown placeholder {" + placeholders.group(1)
                        + "}; known: {project}, {kind}, {run}, {version}");
            }
        }
        TargetTemplate template = new TargetTemplate(text);
        Location sample = template.fill(Map.of("project", "project", "kind", "checkpoint", "run", "run", "version", "version"));
        if (!sample.isDirectory()) {
            throw new IllegalArgumentException("'" + text + "' must be a directory: end it with /");
        }
        return template;
    }

    /**
     * The target for one artifact.
     *
     * @throws io.roam.storage.InvalidLocationException when the filled-in text is not a valid location
     */
    public Location fill(ArtifactCoordinates artifact) {
        return fill(Map.of("project", artifact.project(), "kind", artifact.kind().wireName(), "run", artifact.name(),
                "version", artifact.version()));
    }

    private Location fill(Map<String, String> values) {
        Matcher placeholders = PLACEHOLDER.matcher(text);
        StringBuilder filled = new StringBuilder();
        while (placeholders.find()) {
            placeholders.appendReplacement(filled, Matcher.quoteReplacement(values.get(placeholders.group(1))));
        }
        placeholders.appendTail(filled);
        return Location.parse(filled.toString());
    }
}
