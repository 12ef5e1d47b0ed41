package io.roam.gateway.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roam.service.ClientText;
import io.roam.service.Problem.FieldError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Reads a CloudEvent from the parts every protocol binding has: a content type, attribute headers and a
 * body. In structured mode (content type {@code application/cloudevents+json}) the body is the whole
 * event; in binary mode the attributes are headers ({@code ce_id} on Kafka, {@code ce-id} over HTTP) and
 * the body is the data, which Roam's events carry as JSON.
 */
final class CloudEventReader {

    private static final String JSON = "application/json";
    /** Far above any id, source or type a training job sends; attributes end up in log lines and Kafka headers. */
    static final int MAXIMUM_ATTRIBUTE_LENGTH = 1024;

    private CloudEventReader() {
    }

    /**
     * @param contentType the record's or request's content type; null when it has none
     * @param attribute the value of a binary-mode attribute header by attribute name ({@code id}), or null
     * @throws InvalidTrainingEventException naming every missing or wrong attribute
     */
    static CloudEvent read(String contentType, UnaryOperator<String> attribute, byte[] body, ObjectMapper objectMapper) {
        String mediaType = contentType == null ? null : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (CloudEvent.STRUCTURED_CONTENT_TYPE.equals(mediaType)) {
            return structured(body, objectMapper);
        }
        if (mediaType != null && !JSON.equals(mediaType)) {
            throw new InvalidTrainingEventException("content-type", "must be " + JSON + " (binary mode) or "
                    + CloudEvent.STRUCTURED_CONTENT_TYPE + " (structured mode), not '" + ClientText.quotable(contentType)
                    + "'");
        }
        return binary(attribute, body);
    }

    private static CloudEvent binary(UnaryOperator<String> attribute, byte[] body) {
        List<FieldError> errors = new ArrayList<>();
        String specificationVersion = attribute.apply("specversion");
        requireSpecificationVersion(specificationVersion, errors);
        String id = required(attribute.apply("id"), "id", errors);
        String source = required(attribute.apply("source"), "source", errors);
        String type = required(attribute.apply("type"), "type", errors);
        String time = time(attribute.apply("time"), errors);
        String subject = optional(attribute.apply("subject"), "subject", errors);
        if (body == null || body.length == 0) {
            errors.add(new FieldError("data", "is required: the event's data as JSON"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidTrainingEventException(errors);
        }
        return new CloudEvent(id, source, type, time, subject, new String(body, StandardCharsets.UTF_8));
    }

    private static CloudEvent structured(byte[] body, ObjectMapper objectMapper) {
        JsonNode event;
        try {
            event = body == null ? null : objectMapper.readTree(body);
        }
        catch (IOException unreadable) {
            throw new InvalidTrainingEventException("body", "is not JSON: " + firstLine(unreadable.getMessage()));
        }
        if (event == null || !event.isObject()) {
            throw new InvalidTrainingEventException("body", "must be a JSON object: the whole CloudEvent");
        }
        List<FieldError> errors = new ArrayList<>();
        requireSpecificationVersion(text(event, "specversion"), errors);
        String id = required(text(event, "id"), "id", errors);
        String source = required(text(event, "source"), "source", errors);
        String type = required(text(event, "type"), "type", errors);
        String time = time(text(event, "time"), errors);
        String subject = optional(text(event, "subject"), "subject", errors);
        String dataContentType = text(event, "datacontenttype");
        if (dataContentType != null && !dataContentType.toLowerCase(Locale.ROOT).startsWith(JSON)) {
            errors.add(new FieldError("datacontenttype", "must be " + JSON));
        }
        if (event.has("data_base64")) {
            errors.add(new FieldError("data_base64", "is not accepted: send the data as a JSON object in 'data'"));
        }
        JsonNode data = event.get("data");
        if (data == null || data.isNull()) {
            errors.add(new FieldError("data", "is required: the event's data as a JSON object"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidTrainingEventException(errors);
        }
        try {
            return new CloudEvent(id, source, type, time, subject, objectMapper.writeValueAsString(data));
        }
        catch (JsonProcessingException impossible) {
            throw new IllegalStateException("a parsed JSON tree is always writable", impossible);
        }
    }

    private static void requireSpecificationVersion(String version, List<FieldError> errors) {
        if (version == null) {
            errors.add(new FieldError("specversion", "is required: " + CloudEvent.SPECIFICATION_VERSION));
        }
        else if (!CloudEvent.SPECIFICATION_VERSION.equals(version)) {
            errors.add(new FieldError("specversion", "must be " + CloudEvent.SPECIFICATION_VERSION + ", not '"
                    + ClientText.quotable(version) + "'"));
        }
    }

    private static String required(String value, String attribute, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(attribute, "is required"));
            return value;
        }
        return optional(value, attribute, errors);
    }

    /**
     * An attribute that may be absent; when present it must be printable and of a sane length, because it
     * ends up in log lines, Kafka headers and transfer ids, where a control character could forge a line.
     * The message never repeats the value.
     */
    private static String optional(String value, String attribute, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        if (value.length() > MAXIMUM_ATTRIBUTE_LENGTH) {
            errors.add(new FieldError(attribute, "must be at most " + MAXIMUM_ATTRIBUTE_LENGTH + " characters"));
        }
        else if (value.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError(attribute, "must not contain control characters"));
        }
        return value;
    }

    /** The CloudEvents {@code time} attribute is an RFC 3339 timestamp when present. */
    private static String time(String value, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        try {
            OffsetDateTime.parse(value);
        }
        catch (DateTimeParseException notATimestamp) {
            errors.add(new FieldError("time", "must be an RFC 3339 timestamp such as 2026-01-31T12:00:00Z"));
        }
        return value;
    }

    private static String text(JsonNode event, String field) {
        JsonNode value = event.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    /** The first line of a parser's message: enough to say what is wrong, without echoing the input back. */
    static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
