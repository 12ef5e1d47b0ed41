package io.roam.gateway.requests;

import io.roam.contracts.messages.ArtifactCoordinates;
import io.roam.contracts.messages.TransferPurpose;
import io.roam.service.InvalidRequestException;
import io.roam.service.Problem.FieldError;
import io.roam.storage.InvalidLocationException;
import io.roam.storage.Location;
import io.roam.storage.StorageException;
import io.roam.storage.StorageProfiles;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The public API's rules for replication and staging requests, checked all at once so that a client
 * learns every problem from one answer. Nothing is registered or published for a request that breaks one.
 */
@ApplicationScoped
public class TransferRequestValidator {

    static final int MAXIMUM_TARGETS = 16;

    private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern NAME_OR_VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._=+-]{0,254}");

    private final StorageProfiles profiles;

    public TransferRequestValidator(StorageProfiles profiles) {
        this.profiles = profiles;
    }

    ValidatedTransferRequest validate(ReplicationRequest request) {
        if (request == null) {
            throw new InvalidRequestException("body", "a replication request is required");
        }
        List<FieldError> errors = new ArrayList<>();
        Optional<ArtifactCoordinates> artifact = coordinates(request.project(), request.artifact(), errors);
        Optional<Location> source = location("source", request.source(), errors);
        List<Location> targets = new ArrayList<>();
        if (request.targets() == null || request.targets().isEmpty()) {
            errors.add(new FieldError("targets", "at least one target is required"));
        }
        else if (request.targets().size() > MAXIMUM_TARGETS) {
            errors.add(new FieldError("targets", "at most " + MAXIMUM_TARGETS + " targets are allowed in one request"));
        }
        else {
            Set<Location> distinct = new HashSet<>();
            for (int index = 0; index < request.targets().size(); index++) {
                String field = "targets[" + index + "]";
                Optional<Location> target = location(field, request.targets().get(index), errors);
                if (target.isPresent()) {
                    if (!distinct.add(target.get().canonical())) {
                        errors.add(new FieldError(field, "'" + target.get() + "' is named more than once"));
                    }
                    source.ifPresent(from -> checkSeparate(field, from, target.get(), errors));
                    targets.add(target.get());
                }
            }
        }
        return validated(errors, artifact, TransferPurpose.REPLICATION, source, targets);
    }

    ValidatedTransferRequest validate(StagingRequest request) {
        if (request == null) {
            throw new InvalidRequestException("body", "a staging request is required");
        }
        List<FieldError> errors = new ArrayList<>();
        Optional<ArtifactCoordinates> artifact = coordinates(request.project(), request.artifact(), errors);
        Optional<Location> source = location("source", request.source(), errors);
        Optional<Location> target = location("target", request.target(), errors);
        if (source.isPresent() && target.isPresent()) {
            checkSeparate("target", source.get(), target.get(), errors);
        }
        return validated(errors, artifact, TransferPurpose.STAGING, source, target.stream().toList());
    }

    private static ValidatedTransferRequest validated(List<FieldError> errors, Optional<ArtifactCoordinates> artifact,
            TransferPurpose purpose, Optional<Location> source, List<Location> targets) {
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return new ValidatedTransferRequest(artifact.orElseThrow(), purpose, source.orElseThrow(), targets);
    }

    private static Optional<ArtifactCoordinates> coordinates(String project, ArtifactReference artifact, List<FieldError> errors) {
        int errorsBefore = errors.size();
        matches("project", project, PROJECT, "lowercase letters, digits, '.', '_' or '-', at most 63", errors);
        if (artifact == null) {
            errors.add(new FieldError("artifact", "is required"));
            return Optional.empty();
        }
        if (artifact.kind() == null) {
            errors.add(new FieldError("artifact.kind", "is required: one of dataset, checkpoint, model"));
        }
        matches("artifact.name", artifact.name(), NAME_OR_VERSION, "letters, digits, '.', '_', '=', '+' or '-', at most 255", errors);
        matches("artifact.version", artifact.version(), NAME_OR_VERSION, "letters, digits, '.', '_', '=', '+' or '-', at most 255",
                errors);
        if (errors.size() > errorsBefore) {
            return Optional.empty();
        }
        return Optional.of(new ArtifactCoordinates(project, artifact.kind(), artifact.name(), artifact.version()));
    }

    private static void matches(String field, String value, Pattern pattern, String expected, List<FieldError> errors) {
        if (value == null || value.isEmpty()) {
            errors.add(new FieldError(field, "is required"));
        }
        else if (!pattern.matcher(value).matches()) {
            errors.add(new FieldError(field, "must be " + expected + " characters, starting with a letter or digit"));
        }
    }

    private Optional<Location> location(String field, String value, List<FieldError> errors) {
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

    /** A target inside its source (or the reverse) would copy a tree into itself. */
    private static void checkSeparate(String field, Location source, Location target, List<FieldError> errors) {
        Location sourceDirectory = source.canonical().asDirectory();
        Location targetDirectory = target.canonical().asDirectory();
        if (sourceDirectory.equals(targetDirectory)) {
            errors.add(new FieldError(field, "is the source itself"));
        }
        else if (sourceDirectory.contains(targetDirectory) || targetDirectory.contains(sourceDirectory)) {
            errors.add(new FieldError(field, "'" + target + "' overlaps the source '" + source + "': one lies inside the other"));
        }
    }

}
