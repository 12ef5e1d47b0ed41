package io.roam.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where exceptions become HTTP responses: every error a client sees is an RFC 9457
 * problem body, and none carries a stack trace or an internal message.
 */
public class ProblemExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class);

    // Ahead of Quarkus' built-in Jackson mappers, which answer without a body.
    private static final int BEFORE_BUILT_IN_MAPPERS = Priorities.USER - 100;

    @ServerExceptionMapper(priority = BEFORE_BUILT_IN_MAPPERS)
    public Response invalidRequest(InvalidRequestException exception, UriInfo uriInfo) {
        return problem("invalid-request", "Invalid request", 400, "the request has " + exception.errors().size()
                + " invalid field(s)", uriInfo, exception.errors());
    }

    /** Declared for this subtype too: Quarkus maps it with a built-in mapper that a supertype mapper does not beat. */
    @ServerExceptionMapper(priority = BEFORE_BUILT_IN_MAPPERS)
    public Response mismatchedJson(MismatchedInputException exception, UriInfo uriInfo) {
        return unreadableJson(exception, uriInfo);
    }

    @ServerExceptionMapper(priority = BEFORE_BUILT_IN_MAPPERS)
    public Response unreadableJson(JsonProcessingException exception, UriInfo uriInfo) {
        if (exception instanceof UnrecognizedPropertyException unrecognized) {
            return problem("invalid-request", "Invalid request", 400, "unknown property '" + unrecognized.getPropertyName() + "'",
                    uriInfo, List.of(new Problem.FieldError(path(unrecognized), "is not a property of this request")));
        }
        if (exception instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return problem("invalid-request", "Invalid request", 400, "a field has the wrong type or value", uriInfo,
                    List.of(new Problem.FieldError(path(mapping), describe(mapping))));
        }
        return problem("malformed-json", "Malformed JSON", 400, "the body is not valid JSON: " + describe(exception), uriInfo,
                List.of());
    }

    @ServerExceptionMapper
    public Response notFound(ResourceNotFoundException exception, UriInfo uriInfo) {
        return problem("not-found", "Not found", 404, exception.getMessage(), uriInfo, List.of());
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException exception, UriInfo uriInfo) {
        return problem("conflict", "Conflict", 409, exception.getMessage(), uriInfo, List.of());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException exception, UriInfo uriInfo) {
        // Quarkus wraps some body-reading failures of Jackson in a 400.
        if (exception.getCause() instanceof JsonProcessingException unreadable) {
            return unreadableJson(unreadable, uriInfo);
        }
        Response.StatusType status = exception.getResponse().getStatusInfo();
        String slug = status.getReasonPhrase().toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
        return problem(slug, status.getReasonPhrase(), status.getStatusCode(), exception.getMessage(), uriInfo, List.of());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception exception, UriInfo uriInfo) {
        LOG.errorf(exception, "unexpected failure serving %s", uriInfo.getPath());
        return problem("internal-error", "Internal error", 500, "the server failed to answer; the failure was logged", uriInfo,
                List.of());
    }

    private static Response problem(String slug, String title, int status, String detail, UriInfo uriInfo,
            List<Problem.FieldError> errors) {
        return new Problem("urn:roam:problem:" + slug, title, status, detail, uriInfo.getPath(), errors).toResponse();
    }

    private static String path(JsonMappingException exception) {
        return exception.getPath().stream()
                .map(reference -> reference.getFieldName() != null ? reference.getFieldName() : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** Jackson's message without its source excerpt and location suffix, which may echo large input. */
    private static String describe(JsonProcessingException exception) {
        String message = exception.getOriginalMessage();
        if (message == null) {
            return "unreadable value";
        }
        int sourceNote = message.indexOf("\n");
        return sourceNote < 0 ? message : message.substring(0, sourceNote);
    }
}
