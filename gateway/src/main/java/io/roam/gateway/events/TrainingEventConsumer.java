package io.roam.gateway.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.roam.gateway.catalog.CatalogUnavailableException;
import io.roam.gateway.security.StoragePermissions;
import io.roam.service.DoublingPause;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes the CloudEvents training jobs publish on {@code roam.training-events} and on each project's
 * {@code roam.training-events.<project>} (binary mode with {@code ce_} headers, or structured mode) and accepts each
 * through the {@link TrainingEventIntake}, when its topic may carry its project ({@link TrainingEventTopics}) and its
 * project may read the storage profile of its source.
 *
 * <p>An event that can never be accepted is counted ({@code roam.training.events{outcome=dead-lettered}})
 * and sent to {@code roam.training-events.dead-letter} with the reason in its {@code dead-letter-reason}
 * header (the channel's failure strategy), so it never blocks the partition. An event that cannot be
 * accepted <em>yet</em>, because the catalog is unreachable, is retried with growing pauses until the
 * catalog answers: it is valid, and dropping it would lose a checkpoint's replication.
 */
@ApplicationScoped
public class TrainingEventConsumer {

    private static final Logger LOG = Logger.getLogger(TrainingEventConsumer.class);
    private static final String COUNTER = "roam.training.events";

    private final ObjectMapper objectMapper;
    private final TrainingEventIntake intake;
    private final MeterRegistry meters;
    private final TrainingEventTopics topics;
    private final StoragePermissions storage;

    public TrainingEventConsumer(ObjectMapper objectMapper, TrainingEventIntake intake, MeterRegistry meters,
            TrainingEventTopics topics, StoragePermissions storage) {
        this.objectMapper = objectMapper;
        this.intake = intake;
        this.meters = meters;
        this.topics = topics;
        this.storage = storage;
    }

    @Incoming("training-events")
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        CloudEvent event;
        try {
            event = CloudEventReader.read(header(record, "content-type"), name -> header(record, "ce_" + name), record.value(),
                    objectMapper);
            acceptWhenTheCatalogAnswers(event, (artifact, source) -> {
                topics.refusal(record.topic(), artifact.project())
                        .or(() -> storage.refusalToRead(source, artifact.project()))
                        .ifPresent(reason -> {
                            throw new RefusedTrainingEventException(reason);
                        });
            });
        }
        catch (InvalidTrainingEventException | RefusedTrainingEventException neverAccepted) {
            meters.counter(COUNTER, "outcome", "dead-lettered").increment();
            LOG.warnf("training event at %s-%d offset %d dead-lettered: %s", record.topic(), record.partition(), record.offset(),
                    neverAccepted.getMessage());
            throw neverAccepted;
        }
        meters.counter(COUNTER, "outcome", "accepted").increment();
    }

    private void acceptWhenTheCatalogAnswers(CloudEvent event, AnnouncementCheck check) throws InterruptedException {
        DoublingPause pause = new DoublingPause();
        while (true) {
            try {
                intake.accept(event, check);
                return;
            }
            catch (CatalogUnavailableException unavailable) {
                LOG.warnf("training event %s waits for the catalog (%s); trying again in %s", event.id(),
                        unavailable.getMessage(), pause.next());
                pause.pause();
            }
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
