package io.roam.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The dev overlay brings up everything Roam needs in one namespace, wired to the services. */
class DevOverlayTest {

    private final Manifests dev = Manifests.render("deploy/overlays/dev");

    @Test
    void createsEveryRoamTopicOnItsKafkaCluster() {
        String cluster = Manifests.name(dev.ofKind("Kafka").getFirst());

        assertThat(KafkaTopicsOfRoam.all()).allSatisfy(topic -> {
            JsonNode kafkaTopic = dev.ofKind("KafkaTopic").stream()
                    .filter(candidate -> topicName(candidate).equals(topic))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no KafkaTopic for " + topic));
            assertThat(kafkaTopic.path("metadata").path("labels").path("strimzi.io/cluster").asText()).as("cluster of %s", topic).isEqualTo(cluster);
            assertThat(kafkaTopic.path("spec").path("partitions").asInt()).as("partitions of %s", topic).isPositive();
        });
    }

    @Test
    void givesTransferRequestsAPartitionForEveryWorker() {
        JsonNode requests = dev.ofKind("KafkaTopic").stream()
                .filter(topic -> topicName(topic).equals(RoamService.TRANSFER_WORKER.property("mp.messaging.incoming.transfer-requests.topic")))
                .findFirst()
                .orElseThrow();
        int workers = RoamContainer.of(dev, RoamService.TRANSFER_WORKER).deployment().path("spec").path("replicas").asInt();

        assertThat(requests.path("spec").path("partitions").asInt()).isGreaterThanOrEqualTo(workers);
    }

    @Test
    void runsKafkaInKraftModeWithANodePoolOfControllersAndBrokers() {
        JsonNode kafka = dev.ofKind("Kafka").getFirst();
        JsonNode pool = dev.ofKind("KafkaNodePool").getFirst();

        assertThat(pool.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo(Manifests.name(kafka));
        assertThat(pool.path("spec").path("roles")).extracting(JsonNode::asText).containsExactlyInAnyOrder("controller", "broker");
        assertThat(kafka.path("spec").has("zookeeper")).isFalse();
    }

    @Test
    void pointsEveryServiceAtTheBootstrapServiceStrimziCreates() {
        JsonNode kafka = dev.ofKind("Kafka").getFirst();
        JsonNode plainListener = kafka.path("spec").path("kafka").path("listeners").get(0);
        String bootstrap = "%s-kafka-bootstrap:%d".formatted(Manifests.name(kafka), plainListener.path("port").asInt());

        assertThat(plainListener.path("tls").asBoolean()).isFalse();
        assertThat(RoamContainer.in(dev)).allSatisfy(container ->
                assertThat(container.environment()).containsEntry("ROAM_KAFKA_BOOTSTRAP_SERVERS", bootstrap));
    }

    @Test
    void connectsTheCatalogToTheDatabaseAndSecretOfTheCloudNativePgCluster() {
        JsonNode cluster = dev.ofKind("Cluster").getFirst();
        String name = Manifests.name(cluster);
        String database = cluster.path("spec").path("bootstrap").path("initdb").path("database").asText();
        RoamContainer catalog = RoamContainer.of(dev, RoamService.CATALOG);
        Map<String, JsonNode> variables = new HashMap<>();
        catalog.container().path("env").forEach(variable -> variables.put(variable.path("name").asText(), variable));

        assertThat(variables.get("ROAM_CATALOG_DATABASE_URL").path("value").asText())
                .isEqualTo("jdbc:postgresql://%s-rw:5432/%s".formatted(name, database));
        for (String variable : new String[] {"ROAM_CATALOG_DATABASE_USERNAME", "ROAM_CATALOG_DATABASE_PASSWORD"}) {
            assertThat(variables.get(variable).path("valueFrom").path("secretKeyRef").path("name").asText())
                    .as("Secret of %s (CloudNativePG's <cluster>-app)", variable)
                    .isEqualTo(name + "-app");
        }
    }

    @Test
    void putsEveryObjectInTheDevNamespace() {
        String namespace = Manifests.name(dev.ofKind("Namespace").getFirst());

        assertThat(dev.objects()).filteredOn(object -> !object.path("kind").asText().equals("Namespace"))
                .allSatisfy(object -> assertThat(object.path("metadata").path("namespace").asText()).as(Manifests.describe(object)).isEqualTo(namespace));
    }

    private static String topicName(JsonNode kafkaTopic) {
        JsonNode topicName = kafkaTopic.path("spec").path("topicName");
        return topicName.isMissingNode() ? Manifests.name(kafkaTopic) : topicName.asText();
    }
}
