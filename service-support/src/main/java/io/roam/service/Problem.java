package io.roam.service;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * An RFC 9457 problem details body. {@code errors} lists every invalid field of a request at once, so
 * that a client can fix them all in one go.
 *
 * @param type a URN naming the kind of problem, stable for clients to match on
 * @param instance the request path the problem is about
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);

    /** One invalid field: its JSON path (e.g. {@code targets[1]}) and what is wrong with it. */
    public record FieldError(String field, String message) {
    }

    public Problem {
        requireNonNull(type, "type is null");
        requireNonNull(title, "title is null");
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public Response toResponse() {
        return Response.status(status).type(PROBLEM_JSON).entity(this).build();
    }
}
