package io.roam.gateway.events;

import io.roam.service.Problem.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A training event that can never be accepted as it is: a missing or wrong attribute, an unknown type,
 * data that does not parse, a location no profile serves. Over HTTP a 400 naming every problem; from
 * Kafka a dead-letter record with the same words as its reason.
 */
public final class InvalidTrainingEventException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<FieldError> errors;

    public InvalidTrainingEventException(List<FieldError> errors) {
        super("invalid training event: " + errors.stream().map(error -> error.field() + ": " + error.message())
                .collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public InvalidTrainingEventException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
