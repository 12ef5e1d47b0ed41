package io.roam.gateway.events;

import static java.util.Objects.requireNonNull;

/**
 * One CloudEvent (specification 1.0) as it arrived, in binary or structured mode, over Kafka or HTTP:
 * its context attributes and its data, still unparsed.
 *
 * @param time may be null: optional in the specification
 * @param subject may be null: optional in the specification
 * @param data the data as JSON text
 */
public record CloudEvent(String id, String source, String type, String time, String subject, String data) {

    public static final String SPECIFICATION_VERSION = "1.0";
    public static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json";

    public CloudEvent {
        requireNonNull(id, "id is null");
        requireNonNull(source, "source is null");
        requireNonNull(type, "type is null");
        requireNonNull(data, "data is null");
    }
}
