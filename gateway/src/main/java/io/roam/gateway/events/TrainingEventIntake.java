package io.roam.gateway.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roam.contracts.catalog.PolicyTarget;
import io.roam.contracts.messages.ArtifactCoordinates;
import io.roam.contracts.messages.TransferPurpose;
import io.roam.gateway.catalog.CatalogClient;
import io.roam.gateway.requests.ArtifactRules;
import io.roam.gateway.requests.PlannedTransfer;
import io.roam.gateway.requests.TransferRequestService;
import io.roam.gateway.requests.TransfersAccepted;
import io.roam.gateway.requests.ValidatedTransferRequest;
import io.roam.service.ClientText;
import io.roam.service.InvalidRequestException;
import io.roam.service.Problem.FieldError;
import io.roam.storage.Location;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Accepts a training event, from Kafka or HTTP alike: registers the artifact it announces with its
 * source replica, and requests a transfer to every target of the project's replication policies that
 * match it. No other call is needed from the training job.
 *
 * <p>Accepting the same event twice (a redelivery, a retry, a replay) has the effect of accepting it
 * once: the artifact is found by its coordinates, and each transfer's id is derived from the event's
 * source and id and the target, so the catalog returns the transfer it already has, and its request
 * is published again only if it never got to a worker.
 */
@ApplicationScoped
public class TrainingEventIntake {

    private static final Logger LOG = Logger.getLogger(TrainingEventIntake.class);

    private final ObjectMapper objectMapper;
    private final ArtifactRules rules;
    private final CatalogClient catalog;
    private final TransferRequestService transfers;

    public TrainingEventIntake(ObjectMapper objectMapper, ArtifactRules rules, @RestClient CatalogClient catalog,
            TransferRequestService transfers) {
        this.objectMapper = objectMapper;
        this.rules = rules;
        this.catalog = catalog;
        this.transfers = transfers;
    }

    /**
     * @param check whether whoever delivered the event may announce it; runs before anything is registered
     * @throws InvalidTrainingEventException when the event can never be accepted
     * @throws io.roam.gateway.catalog.CatalogUnavailableException when the catalog cannot be reached: try again
     */
    public TransfersAccepted accept(CloudEvent event, AnnouncementCheck check) {
        Announcement announcement = validate(event);
        check.check(announcement.artifact(), announcement.source());
        List<PolicyTarget> policyTargets = catalog.policyTargets(announcement.artifact().project(),
                announcement.artifact().kind().wireName(), announcement.artifact().name(), announcement.artifact().version());
        List<PlannedTransfer> planned = new ArrayList<>();
        for (PolicyTarget target : policyTargets) {
            Location location = Location.parse(target.target());
            if (location.canonical().asDirectory().equals(announcement.source().canonical().asDirectory())) {
                // The job saved straight into a policy target: that copy exists already.
                continue;
            }
            planned.add(new PlannedTransfer(transferId(event, target), location, target.policyId()));
        }
        try {
            TransfersAccepted accepted = transfers.submit(new ValidatedTransferRequest(announcement.artifact(),
                    announcement.labels(), TransferPurpose.REPLICATION, announcement.source(), planned));
            LOG.infof("training event %s from %s: %s %s/%s %s at %s, %d transfers by policy", event.id(), event.source(),
                    announcement.artifact().kind().wireName(), announcement.artifact().project(), announcement.artifact().name(),
                    announcement.artifact().version(), announcement.source(), planned.size());
            return accepted;
        }
        catch (InvalidRequestException refused) {
            throw new InvalidTrainingEventException(refused.errors());
        }
    }

    private Announcement validate(CloudEvent event) {
        Optional<TrainingEventType> type = TrainingEventType.of(event.type());
        if (type.isEmpty()) {
            throw new InvalidTrainingEventException("type", "unknown event type '" + ClientText.quotable(event.type())
                    + "'; expected one of " + TrainingEventType.known());
        }
        TrainingEventData data;
        try {
            data = objectMapper.readValue(event.data(), TrainingEventData.class);
        }
        catch (JsonProcessingException unreadable) {
            throw new InvalidTrainingEventException("data", "is not the data of a training event (project, run, version, "
                    + "uri, labels): " + CloudEventReader.firstLine(unreadable.getOriginalMessage()));
        }
        if (data == null) {
            throw new InvalidTrainingEventException("data", "is required");
        }
        List<FieldError> errors = new ArrayList<>();
        Optional<ArtifactCoordinates> artifact = rules.coordinates("data.project", data.project(), "type", type.get().kind(),
                "data.run", data.run(), "data.version", data.version(), errors);
        Map<String, String> labels = rules.labels("data.labels", data.labels(), errors);
        Optional<Location> source = rules.location("data.uri", data.uri(), errors);
        if (!errors.isEmpty()) {
            throw new InvalidTrainingEventException(errors);
        }
        return new Announcement(artifact.orElseThrow(), labels, source.orElseThrow());
    }

    /** The same for every delivery of one event to one target. */
    private static UUID transferId(CloudEvent event, PolicyTarget target) {
        String identity = "training-event\n" + event.source() + "\n" + event.id() + "\n" + target.policyId() + "\n" + target.target();
        return UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8));
    }

    private record Announcement(ArtifactCoordinates artifact, Map<String, String> labels, Location source) {
    }
}
