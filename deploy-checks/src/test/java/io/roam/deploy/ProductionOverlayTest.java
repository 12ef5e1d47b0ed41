package io.roam.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The production overlay scales workers on consumer lag and takes Kafka and PostgreSQL from Secrets. */
class ProductionOverlayTest {

    private final Manifests production = Manifests.render("deploy/overlays/production");

    @Test
    void scalesWorkersOnTheLagOfTheirConsumerGroupOnTransferRequests() {
        JsonNode scaledObject = production.get("ScaledObject", "roam-transfer-worker");
        JsonNode trigger = scaledObject.path("spec").path("triggers").get(0);
        RoamContainer worker = RoamContainer.of(production, RoamService.TRANSFER_WORKER);

        assertThat(scaledObject.path("spec").path("scaleTargetRef").path("name").asText()).isEqualTo(Manifests.name(worker.deployment()));
        assertThat(trigger.path("type").asText()).isEqualTo("kafka");
        assertThat(trigger.path("metadata").path("consumerGroup").asText())
                .isEqualTo(RoamService.TRANSFER_WORKER.property("mp.messaging.incoming.transfer-requests.group.id"));
        assertThat(trigger.path("metadata").path("topic").asText())
                .isEqualTo(RoamService.TRANSFER_WORKER.property("mp.messaging.incoming.transfer-requests.topic"));
        assertThat(worker.environment()).containsKey(trigger.path("metadata").path("bootstrapServersFromEnv").asText());
        production.get("TriggerAuthentication", trigger.path("authenticationRef").path("name").asText());
    }

    @Test
    void addsOneWorkerPerTransfersOneWorkerRunsAtOnce() {
        JsonNode trigger = production.get("ScaledObject", "roam-transfer-worker").path("spec").path("triggers").get(0);
        RoamContainer worker = RoamContainer.of(production, RoamService.TRANSFER_WORKER);

        assertThat(trigger.path("metadata").path("lagThreshold").asText())
                .isEqualTo(worker.environment().get("ROAM_WORKER_CONCURRENT_TRANSFERS"));
    }

    @Test
    void scalesWorkersUpToThePartitionsOfTransferRequestsTheOverlayDocuments() throws IOException {
        String readme = Files.readString(Repository.root().resolve("deploy/overlays/production/README.md"));
        Matcher row = Pattern.compile("\\| `roam\\.transfer-requests` \\| (\\d+) \\|").matcher(readme);
        assertThat(row.find()).as("the topics table of deploy/overlays/production/README.md lists roam.transfer-requests").isTrue();

        JsonNode spec = production.get("ScaledObject", "roam-transfer-worker").path("spec");

        assertThat(spec.path("maxReplicaCount").asInt()).isEqualTo(Integer.parseInt(row.group(1)));
        assertThat(spec.path("minReplicaCount").asInt()).isBetween(1, spec.path("maxReplicaCount").asInt());
    }

    @Test
    void leavesTheWorkerCountToKeda() {
        assertThat(RoamContainer.of(production, RoamService.TRANSFER_WORKER).deployment().path("spec").has("replicas")).isFalse();
    }

    @Test
    void runsSeveralGatewaysAndCatalogsKeptApartOnNodes() {
        for (RoamService service : new RoamService[] {RoamService.GATEWAY, RoamService.CATALOG}) {
            RoamContainer container = RoamContainer.of(production, service);
            assertThat(container.deployment().path("spec").path("replicas").asInt()).as("replicas of %s", service).isGreaterThanOrEqualTo(2);
        }
        assertThat(RoamContainer.in(production)).allSatisfy(container ->
                assertThat(container.podSpec().path("affinity").path("podAntiAffinity").isEmpty()).as("anti-affinity of %s", container).isFalse());
    }

    @Test
    void takesKafkaAndTheDatabaseFromSecretsItDoesNotContain() {
        assertThat(production.ofKind("Secret")).isEmpty();
        assertThat(RoamContainer.in(production)).allSatisfy(container ->
                assertThat(container.environment()).containsEntry("ROAM_KAFKA_BOOTSTRAP_SERVERS", RoamContainer.FROM_SECRET)
                        .containsEntry("KAFKA_SASL_JAAS_CONFIG", RoamContainer.FROM_SECRET));
        assertThat(RoamContainer.of(production, RoamService.CATALOG).environment())
                .containsEntry("ROAM_CATALOG_DATABASE_URL", RoamContainer.FROM_SECRET)
                .containsEntry("ROAM_CATALOG_DATABASE_PASSWORD", RoamContainer.FROM_SECRET);
    }
}
