package io.roam.gateway.requests;

import io.roam.contracts.messages.ArtifactCoordinates;
import io.roam.contracts.messages.ArtifactKind;
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

    private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern NAME_OR_VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._=+-]{0,254}");
    /** Segments separated by '/', each starting with a letter or digit, so that no key reads as a path that climbs. */
    private static final Pattern LABEL_KEY = Pattern.compile("(?=.{1,63}$)[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*");
    private static final Pattern LABEL_VALUE = Pattern.compile("[\\p{Print}&&[^\\p{Cntrl}]]{0,256}");
    private static final String NAME_CHARACTERS = "letters, digits, '.', '_', '=', '+' or '-', at most 255";
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
        matches(nameField, name, NAME_OR_VERSION, NAME_CHARACTERS, errors);
        matches(versionField, version, NAME_OR_VERSION, NAME_CHARACTERS, errors);
        return errors.size() > errorsBefore ? Optional.empty() : Optional.of(new ArtifactCoordinates(project, kind, name, version));
    }

    public void project(String field, String project, List<FieldError> errors) {
        matches(field, project, PROJECT, "lowercase letters, digits, '.', '_' or '-', at most 63", errors);
    }

    /**
     * Query filters: absent is no filter, but a present one must be a value that could name something, so that a
     * malformed or hostile filter is refused rather than silently matching nothing.
     */
    public void filters(String project, String name, List<FieldError> errors) {
        if (project != null) {
            project("project", project, errors);
        }
        if (name != null) {
            matches("name", name, NAME_OR_VERSION, NAME_CHARACTERS, errors);
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
            if (!NAME_OR_VERSION.matcher(name).matches()) {
                errors.add(new FieldError("namePattern", "must be '*', a name or a name's prefix followed by '*'; names are "
                        + NAME_CHARACTERS + " characters, starting with a letter or digit"));
            }
        }
    }

    /** Where a job runs, as a storage profile name or a region. */
    public void place(String field, String place, List<FieldError> errors) {
        matches(field, place, PLACE, "a storage profile name or a region: letters, digits, '.', '_' or '-', at most 128", errors);
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
                errors.add(new FieldError(field, "label key '" + quotable(key) + "' must be letters, digits, '.', '_', '/' or '-', "
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

    /**
     * A value to quote in a message, a dead-letter reason or a log line: control characters escaped, so that it
     * cannot forge a line, and at most 100 characters.
     */
    public static String quotable(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder quotable = new StringBuilder();
        value.codePoints().limit(100).forEach(codePoint -> {
            if (Character.isISOControl(codePoint)) {
                quotable.append("\\u%04X".formatted(codePoint));
            }
            else {
                quotable.appendCodePoint(codePoint);
            }
        });
        return value.codePointCount(0, value.length()) > 100 ? quotable + "..." : quotable.toString();
    }

    private static void matches(String field, String value, Pattern pattern, String expected, List<FieldError> errors) {
        if (value == null || value.isEmpty()) {
            errors.add(new FieldError(field, "is required"));
        }
        else if (!pattern.matcher(value).matches()) {
            errors.add(new FieldError(field, "must be " + expected + " characters, starting with a letter or digit"));
        }
    }
}
