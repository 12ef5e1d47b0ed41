package io.roam.gateway.events;

import io.roam.contracts.messages.ArtifactKind;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The CloudEvent types a training job emits, each announcing one kind of artifact. */
public enum TrainingEventType {
    CHECKPOINT_SAVED("roam.checkpoint.saved", ArtifactKind.CHECKPOINT),
    DATASET_REGISTERED("roam.dataset.registered", ArtifactKind.DATASET),
    MODEL_SAVED("roam.model.saved", ArtifactKind.MODEL);

    private final String cloudEventType;
    private final ArtifactKind kind;

    TrainingEventType(String cloudEventType, ArtifactKind kind) {
        this.cloudEventType = cloudEventType;
        this.kind = kind;
    }

    public String cloudEventType() {
        return cloudEventType;
    }

    public ArtifactKind kind() {
        return kind;
    }

    public static Optional<TrainingEventType> of(String cloudEventType) {
        return Arrays.stream(values()).filter(type -> type.cloudEventType.equals(cloudEventType)).findFirst();
    }

    static String known() {
        return Arrays.stream(values()).map(TrainingEventType::cloudEventType).collect(Collectors.joining(", "));
    }
}
