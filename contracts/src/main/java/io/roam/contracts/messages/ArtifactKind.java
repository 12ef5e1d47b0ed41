package io.roam.contracts.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What an artifact is. Written in lowercase on the wire ({@code "checkpoint"}). */
public enum ArtifactKind {
    DATASET,
    CHECKPOINT,
    MODEL;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ArtifactKind fromWireName(String wireName) {
        for (ArtifactKind kind : values()) {
            if (kind.wireName().equals(wireName)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown artifact kind '" + wireName + "'; expected one of "
                + Arrays.stream(values()).map(ArtifactKind::wireName).collect(Collectors.joining(", ")));
    }
}
