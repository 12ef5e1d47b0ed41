package io.roam.gateway.requests;

import io.roam.contracts.messages.ArtifactCoordinates;
import io.roam.contracts.messages.ArtifactKind;
import io.roam.service.ClientText;
import io.roam.service.Names;
import io.roam.service.Problem.FieldError;
import io.roam.storage.InvalidLocationException;
import io.roam.storage.Location;
import io.roam.storage.StorageException;
import io.roam.storage.StorageProfiles;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The public rules for what names an artifact and where it may be, shared by REST requests and training
 * events: each check adds a {@link FieldError} naming the field instead of stopping at the first, so that
 * a caller learns every problem from one answer.
 */
@ApplicationScoped
public class ArtifactRules {

    static final int MAXIMUM_LABELS = 32;

    /** Segments separated by '/', each starting with a letter or digit, so that no key reads as a path that climbs. */
    private static final Pattern LABEL_KEY = Pattern.compile("(?=.{1,63}$)[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*");
    private static final Pattern LABEL_VALUE = Pattern.compile("[\\p{Print}&&[^\\p{Cntrl}]]{0,256}");
    /** A storage profile name or a region, such as {@code lab-s3} or {@code us-east-1}. */
    private static final Pattern PLACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final StorageProfiles profiles;

    public ArtifactRules(StorageProfiles profiles) {
        this.profiles = profiles;
    }

    /** The coordinates, when project, kind, name and version are all valid. */
    public Optional<ArtifactCoordinates> coordinates(String projectField, String project, String kindField, ArtifactKind kind,
            String nameField, String name, String versionField, String version, List<FieldError> errors) {
        int errorsBefore = errors.size();
        project(projectField, project, errors);
        if (kind == null) {
            errors.add(new FieldError(kindField, "is required: one of dataset, checkpoint, model"));
        }
        check(nameField, name, Names.isArtifactName(name), Names.ARTIFACT_NAME_RULE, errors);
        check(versionField, version, Names.isArtifactName(version), Names.ARTIFACT_NAME_RULE, errors);
        return errors.size() > errorsBefore ? Optional.empty() : Optional.of(new ArtifactCoordinates(project, kind, name, version));
    }

    public void project(String field, String project, List<FieldError> errors) {
        check(field, project, Names.isProject(project), Names.PROJECT_RULE, errors);
    }

    /**
     * Query filters: absent is no filter, but a present one must be a value that could name something, so that a
     * malformed or hostile filter is refused rather than silently matching nothing.
     */
    public void filters(String project, String name, String version, List<FieldError> errors) {
        if (project != null) {
            project("project", project, errors);
        }
        if (name != null) {
            check("name", name, Names.isArtifactName(name), Names.ARTIFACT_NAME_RULE, errors);
        }
        if (version != null) {
            check("version", version, Names.isArtifactName(version), Names.ARTIFACT_NAME_RULE, errors);
        }
    }

    /**
     * What the gateway checks of a replication policy before the catalog checks the rest: the project and the
     * name pattern ({@code *}, a name, or a name's prefix followed by {@code *}) follow the artifact rules.
     */
    public void policy(String project, String namePattern, List<FieldError> errors) {
        project("project", project, errors);
        if (namePattern != null && !namePattern.equals("*")) {
            String name = namePattern.endsWith("*") ? namePattern.substring(0, namePattern.length() - 1) : namePattern;
            if (!Names.isArtifactName(name)) {
                errors.add(new FieldError("namePattern", "must be '*', a name or a name's prefix followed by '*'; a name "
                        + Names.ARTIFACT_NAME_RULE));
            }
        }
    }

    /** Where a job runs, as a storage profile name or a region. */
    public void place(String field, String place, List<FieldError> errors) {
        check(field, place, place != null && PLACE.matcher(place).matches(), "must be a storage profile name or a region: letters, "
                + "digits, '.', '_' or '-', at most 128 characters, starting with a letter or digit", errors);
    }

    /** The labels, checked; absent labels are none. */
    public Map<String, String> labels(String field, Map<String, String> labels, List<FieldError> errors) {
        if (labels == null) {
            return Map.of();
        }
        if (labels.size() > MAXIMUM_LABELS) {
            errors.add(new FieldError(field, "at most " + MAXIMUM_LABELS + " labels are allowed"));
            return Map.of();
        }
        int errorsBefore = errors.size();
        labels.forEach((key, value) -> {
            if (key == null || !LABEL_KEY.matcher(key).matches()) {
                errors.add(new FieldError(field, "label key '" + ClientText.quotable(key) + "' must be letters, digits, '.', '_', '/' or '-', "
                        + "at most 63 characters, each '/'-separated part starting with a letter or digit"));
            }
            else if (value == null || !LABEL_VALUE.matcher(value).matches()) {
                errors.add(new FieldError(field + "." + key, "must be a string of at most 256 printable characters"));
            }
        });
        return errors.size() > errorsBefore ? Map.of() : Map.copyOf(labels);
    }

    /** The location, when it parses and a storage profile serves it. */
    public Optional<Location> location(String field, String value, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "is required"));
            return Optional.empty();
        }
        try {
            Location location = Location.parse(value);
            profiles.profileFor(location);
            return Optional.of(location);
        }
        catch (InvalidLocationException | StorageException invalid) {
            errors.add(new FieldError(field, invalid.getMessage()));
            return Optional.empty();
        }
    }

    private static void check(String field, String value, boolean valid, String rule, List<FieldError> errors) {
        if (value == null || value.isEmpty()) {
            errors.add(new FieldError(field, "is required"));
        }
        else if (!valid) {
            errors.add(new FieldError(field, rule));
        }
    }
}
