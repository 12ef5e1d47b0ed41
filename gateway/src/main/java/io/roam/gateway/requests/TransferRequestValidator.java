package io.roam.gateway.requests;

import io.roam.contracts.messages.ArtifactCoordinates;
import io.roam.contracts.messages.TransferPurpose;
import io.roam.service.InvalidRequestException;
import io.roam.service.Problem.FieldError;
import io.roam.storage.Location;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The public API's rules for replication and staging requests, checked all at once so that a client
 * learns every problem from one answer. Nothing is registered or published for a request that breaks one.
 */
@ApplicationScoped
public class TransferRequestValidator {

    static final int MAXIMUM_TARGETS = 16;

    private final ArtifactRules rules;

    public TransferRequestValidator(ArtifactRules rules) {
        this.rules = rules;
    }

    ValidatedTransferRequest validate(ReplicationRequest request) {
        if (request == null) {
            throw new InvalidRequestException("body", "a replication request is required");
        }
        List<FieldError> errors = new ArrayList<>();
        Optional<ArtifactCoordinates> artifact = coordinates(request.project(), request.artifact(), errors);
        Map<String, String> labels = labels(request.artifact(), errors);
        Optional<Location> source = rules.location("source", request.source(), errors);
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
                Optional<Location> target = rules.location(field, request.targets().get(index), errors).map(to -> asCopied(source, to));
                if (target.isPresent()) {
                    if (!distinct.add(target.get().canonical())) {
                        errors.add(new FieldError(field, "'" + target.get() + "' is named more than once"));
                    }
                    source.ifPresent(from -> checkSeparate(field, from, target.get(), errors));
                    targets.add(target.get());
                }
            }
        }
        return validated(errors, artifact, labels, TransferPurpose.REPLICATION, source, targets);
    }

    ValidatedTransferRequest validate(StagingRequest request) {
        if (request == null) {
            throw new InvalidRequestException("body", "a staging request is required");
        }
        List<FieldError> errors = new ArrayList<>();
        Optional<ArtifactCoordinates> artifact = coordinates(request.project(), request.artifact(), errors);
        Map<String, String> labels = labels(request.artifact(), errors);
        Optional<Location> source = rules.location("source", request.source(), errors);
        Optional<Location> target = rules.location("target", request.target(), errors).map(to -> asCopied(source, to));
        if (source.isPresent() && target.isPresent()) {
            checkSeparate("target", source.get(), target.get(), errors);
        }
        return validated(errors, artifact, labels, TransferPurpose.STAGING, source, target.stream().toList());
    }

    /** A staging request that passed every rule but names no source, for which the catalog is to find one. */
    record UnsourcedStaging(ArtifactCoordinates artifact, Location target) {}

    /** The rules of a staging request that names no source: all the others, checked before the catalog is asked for one. */
    UnsourcedStaging validateUnsourced(StagingRequest request) {
        if (request == null) {
            throw new InvalidRequestException("body", "a staging request is required");
        }
        List<FieldError> errors = new ArrayList<>();
        Optional<ArtifactCoordinates> artifact = coordinates(request.project(), request.artifact(), errors);
        labels(request.artifact(), errors);
        Optional<Location> target = rules.location("target", request.target(), errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return new UnsourcedStaging(artifact.orElseThrow(), target.orElseThrow());
    }

    private static ValidatedTransferRequest validated(List<FieldError> errors, Optional<ArtifactCoordinates> artifact,
            Map<String, String> labels, TransferPurpose purpose, Optional<Location> source, List<Location> targets) {
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        List<PlannedTransfer> transfers = targets.stream()
                .map(target -> new PlannedTransfer(UUID.randomUUID(), target, null))
                .toList();
        return new ValidatedTransferRequest(artifact.orElseThrow(), labels, purpose, source.orElseThrow(), transfers);
    }

    private Map<String, String> labels(ArtifactReference artifact, List<FieldError> errors) {
        return artifact == null ? Map.of() : rules.labels("artifact.labels", artifact.labels(), errors);
    }

    private Optional<ArtifactCoordinates> coordinates(String project, ArtifactReference artifact, List<FieldError> errors) {
        if (artifact == null) {
            rules.project("project", project, errors);
            errors.add(new FieldError("artifact", "is required"));
            return Optional.empty();
        }
        return rules.coordinates("project", project, "artifact.kind", artifact.kind(), "artifact.name", artifact.name(),
                "artifact.version", artifact.version(), errors);
    }

    /**
     * The target as the copy will fill it: a directory whenever the source is one ({@code /data/a/} copied to
     * {@code s3://b/a} fills {@code s3://b/a/}), so that its replica is recorded as a directory, once, however
     * the request wrote it. A source without {@code /} may be a file; only the worker can tell.
     */
    private static Location asCopied(Optional<Location> source, Location target) {
        return source.filter(Location::isDirectory).isPresent() ? target.asDirectory() : target;
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
