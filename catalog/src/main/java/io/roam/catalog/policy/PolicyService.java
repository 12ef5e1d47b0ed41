package io.roam.catalog.policy;

import io.roam.catalog.DatabaseTime;
import io.roam.catalog.RequestFields;
import io.roam.catalog.artifact.Places;
import io.roam.contracts.catalog.PolicyTarget;
import io.roam.contracts.catalog.ReplicationPolicyDefinition;
import io.roam.contracts.catalog.ReplicationPolicyView;
import io.roam.contracts.messages.ArtifactCoordinates;
import io.roam.contracts.messages.ArtifactKind;
import io.roam.service.ConflictException;
import io.roam.service.InvalidRequestException;
import io.roam.service.Problem;
import io.roam.service.ResourceNotFoundException;
import io.roam.storage.Location;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Replication policies: created (checked, and refused when they conflict with one already stored),
 * listed, deleted, and matched against new artifacts.
 */
@ApplicationScoped
public class PolicyService {

    private static final int MAXIMUM_NAME_LENGTH = 128;

    private final Places places;

    public PolicyService(Places places) {
        this.places = places;
    }

    /**
     * Stores a policy.
     *
     * @throws InvalidRequestException naming every invalid field
     * @throws ConflictException when the project has a policy of that name, or one that could copy the
     *     same artifact to the same target template (two policies would then own one replica's retention)
     */
    @Transactional
    public ReplicationPolicyView create(ReplicationPolicyDefinition definition) {
        ValidPolicy policy = validate(definition);
        for (ReplicationPolicyEntity existing : ReplicationPolicyEntity.listByProject(policy.project())) {
            if (existing.name.equals(policy.name())) {
                throw new ConflictException("project " + policy.project() + " already has a policy named '" + policy.name() + "'");
            }
            conflict(policy, existing).ifPresent(reason -> {
                throw new ConflictException("the policy conflicts with policy '" + existing.name + "': " + reason);
            });
        }
        ReplicationPolicyEntity entity = new ReplicationPolicyEntity();
        entity.id = UUID.randomUUID();
        entity.project = policy.project();
        entity.name = policy.name();
        entity.kinds = policy.kinds().stream().map(Enum::name).collect(Collectors.joining(","));
        entity.namePattern = policy.namePattern().text();
        entity.targets = policy.targets().stream().map(TargetTemplate::text).toList();
        entity.keepLast = policy.keepLast();
        entity.createdAt = DatabaseTime.now();
        entity.persist();
        return entity.toView();
    }

    private static Optional<String> conflict(ValidPolicy policy, ReplicationPolicyEntity existing) {
        if (Collections.disjoint(policy.kinds(), existing.kindList()) || !policy.namePattern().overlaps(existing.pattern())) {
            return Optional.empty();
        }
        return policy.targets().stream().map(TargetTemplate::text).filter(existing.targets::contains).findFirst()
                .map(target -> "both replicate matching " + policy.kinds().stream().map(ArtifactKind::wireName)
                        .filter(kind -> existing.kindList().stream().map(ArtifactKind::wireName).toList().contains(kind))
                        .collect(Collectors.joining(", "))
                        + " artifacts named like '" + policy.namePattern().text() + "' and '" + existing.namePattern
                        + "' to " + target);
    }

    @Transactional
    public List<ReplicationPolicyView> list(String project) {
        return ReplicationPolicyEntity.listByProject(project).stream().map(ReplicationPolicyEntity::toView).toList();
    }

    @Transactional
    public ReplicationPolicyView get(UUID id) {
        return require(id).toView();
    }

    @Transactional
    public void delete(UUID id) {
        require(id).delete();
    }

    /** Where the project's policies send this artifact, one entry per policy and target. */
    @Transactional
    public List<PolicyTarget> targets(ArtifactCoordinates artifact) {
        List<PolicyTarget> targets = new ArrayList<>();
        for (ReplicationPolicyEntity policy : ReplicationPolicyEntity.listByProject(artifact.project())) {
            if (policy.kindList().contains(artifact.kind()) && policy.pattern().matches(artifact.name())) {
                for (TargetTemplate template : policy.templates()) {
                    targets.add(new PolicyTarget(policy.id, policy.name, template.fill(artifact).toString()));
                }
            }
        }
        return targets;
    }

    private static ReplicationPolicyEntity require(UUID id) {
        return ReplicationPolicyEntity.<ReplicationPolicyEntity>findByIdOptional(id)
                .orElseThrow(() -> new ResourceNotFoundException("no replication policy has id " + id));
    }

    private ValidPolicy validate(ReplicationPolicyDefinition definition) {
        if (definition == null) {
            throw new InvalidRequestException("body", "a replication policy is required");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        RequestFields.requireProject(errors, "project", definition.project());
        requireName(errors, "name", definition.name());
        if (definition.kinds() == null || definition.kinds().isEmpty() || definition.kinds().contains(null)) {
            errors.add(new Problem.FieldError("kinds", "at least one of dataset, checkpoint, model is required"));
        }
        NamePattern namePattern = null;
        try {
            namePattern = NamePattern.parse(definition.namePattern());
        }
        catch (IllegalArgumentException invalid) {
            errors.add(new Problem.FieldError("namePattern", invalid.getMessage()));
        }
        List<TargetTemplate> targets = new ArrayList<>();
        if (definition.targets() == null || definition.targets().isEmpty()) {
            errors.add(new Problem.FieldError("targets", "at least one target is required"));
        }
        else {
            for (int index = 0; index < definition.targets().size(); index++) {
                validTarget(errors, "targets[" + index + "]", definition.targets().get(index)).ifPresent(targets::add);
            }
            if (new LinkedHashSet<>(definition.targets()).size() < definition.targets().size()) {
                errors.add(new Problem.FieldError("targets", "names one target twice"));
            }
        }
        if (definition.keepLast() != null && definition.keepLast() < 1) {
            errors.add(new Problem.FieldError("keepLast", "must be at least 1, or absent to keep every version"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return new ValidPolicy(definition.project(), definition.name(), List.copyOf(new LinkedHashSet<>(definition.kinds())),
                namePattern, targets, definition.keepLast());
    }

    private Optional<TargetTemplate> validTarget(List<Problem.FieldError> errors, String field, String text) {
        try {
            TargetTemplate template = TargetTemplate.parse(text);
            Location sample = template.fill(new ArtifactCoordinates("project", ArtifactKind.CHECKPOINT, "run", "version"));
            if (!places.serves(sample)) {
                errors.add(new Problem.FieldError(field, "no storage profile serves '" + text + "'"));
                return Optional.empty();
            }
            return Optional.of(template);
        }
        catch (IllegalArgumentException invalid) {
            errors.add(new Problem.FieldError(field, invalid.getMessage()));
            return Optional.empty();
        }
    }

    private static void requireName(List<Problem.FieldError> errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(new Problem.FieldError(field, "is required"));
        }
        else if (value.length() > MAXIMUM_NAME_LENGTH) {
            errors.add(new Problem.FieldError(field, "must be at most " + MAXIMUM_NAME_LENGTH + " characters"));
        }
    }

    private record ValidPolicy(String project, String name, List<ArtifactKind> kinds, NamePattern namePattern,
            List<TargetTemplate> targets, Integer keepLast) {
    }
}
