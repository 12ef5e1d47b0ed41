package io.roam.contracts.security;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What a caller may do in one project. Each role includes the ones before it: a writer may read, an
 * admin may write. Written in JSON and in token claims as {@code reader}, {@code writer}, {@code admin}.
 */
public enum ProjectRole {
    /** See the project's artifacts, replicas, manifests, transfers and policies. */
    READER,
    /** Also request replications, stagings, verifications and cancellations, and announce training events. */
    WRITER,
    /** Also create and delete replication policies and API tokens for the project. */
    ADMIN;

    /** Whether this role includes {@code required}. */
    public boolean includes(ProjectRole required) {
        return compareTo(required) >= 0;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The role a wire name stands for.
     *
     * @throws IllegalArgumentException naming the accepted values when {@code wireName} is none of them
     */
    @JsonCreator
    public static ProjectRole fromWireName(String wireName) {
        for (ProjectRole role : values()) {
            if (role.wireName().equals(wireName)) {
                return role;
            }
        }
        throw new IllegalArgumentException("a role is reader, writer or admin, not '" + wireName + "'");
    }
}
