package io.roam.catalog;

import io.roam.contracts.messages.ArtifactKind;
import io.roam.service.Names;
import io.roam.service.Problem;
import java.util.List;

/** Checks of request fields shared by the catalog's resources, each adding a field error instead of stopping at the first. */
public final class RequestFields {

    private RequestFields() {
    }

    public static void requireText(List<Problem.FieldError> errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(new Problem.FieldError(field, "is required"));
        }
    }

    /** A project name: required, and {@link Names#isProject valid}. */
    public static void requireProject(List<Problem.FieldError> errors, String field, String value) {
        if (value == null || value.isEmpty()) {
            errors.add(new Problem.FieldError(field, "is required"));
        }
        else if (!Names.isProject(value)) {
            errors.add(new Problem.FieldError(field, Names.PROJECT_RULE));
        }
    }

    /** The kind named by its wire name ({@code checkpoint}); null, with a field error, when it names none. */
    public static ArtifactKind kind(List<Problem.FieldError> errors, String field, String wireName) {
        try {
            return ArtifactKind.fromWireName(wireName);
        }
        catch (IllegalArgumentException unknown) {
            errors.add(new Problem.FieldError(field, unknown.getMessage()));
            return null;
        }
    }
}
