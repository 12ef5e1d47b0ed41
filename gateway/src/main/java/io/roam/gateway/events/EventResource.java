package io.roam.gateway.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.roam.contracts.security.ProjectRole;
import io.roam.gateway.security.ProjectAccess;
import io.roam.gateway.requests.TransfersAccepted;
import io.roam.service.InvalidRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Training events over HTTP, for jobs that cannot reach Kafka: the CloudEvents HTTP binding, binary mode
 * ({@code ce-*} headers, JSON data as the body) or structured mode ({@code application/cloudevents+json}).
 * Accepted like events from Kafka: 202 with the artifact and the transfers its replication policies led
 * to; 400 naming every problem of an event that can never be accepted; 403 unless the caller is a writer of the
 * event's project and the project may read the storage profile of the event's source.
 */
@Path("/v1/events")
@Produces(MediaType.APPLICATION_JSON)
public class EventResource {

    private final ObjectMapper objectMapper;
    private final TrainingEventIntake intake;
    private final MeterRegistry meters;
    private final ProjectAccess access;

    public EventResource(ObjectMapper objectMapper, TrainingEventIntake intake, MeterRegistry meters, ProjectAccess access) {
        this.objectMapper = objectMapper;
        this.intake = intake;
        this.meters = meters;
        this.access = access;
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, CloudEvent.STRUCTURED_CONTENT_TYPE})
    public Response accept(@Context HttpHeaders headers, byte[] body) {
        try {
            CloudEvent event = CloudEventReader.read(headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                    name -> decoded(headers.getHeaderString("ce-" + name)), body, objectMapper);
            TransfersAccepted accepted = intake.accept(event, (artifact, source) -> {
                access.require(artifact.project(), ProjectRole.WRITER);
                access.requireReadable(source, artifact.project());
            });
            meters.counter("roam.training.events", "outcome", "accepted").increment();
            return Response.accepted(accepted).build();
        }
        catch (InvalidTrainingEventException invalid) {
            meters.counter("roam.training.events", "outcome", "rejected").increment();
            throw new InvalidRequestException(invalid.errors());
        }
    }

    /** Header values of the HTTP binding are percent-encoded (CloudEvents HTTP binding, section 3.1.3.2). */
    private static String decoded(String value) {
        return value == null ? null : URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
