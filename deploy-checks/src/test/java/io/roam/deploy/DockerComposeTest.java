package io.roam.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml is a valid Compose file that runs the three services from the images the build makes,
 * on their ports, with variables and storage profiles they read, after everything they depend on.
 */
class DockerComposeTest {

    private static final Set<String> EMULATORS = Set.of("kafka", "postgres", "minio", "azurite", "fake-gcs");

    @Test
    void isAValidComposeFile() {
        ExternalCommand.Result result = ExternalCommand.DOCKER_COMPOSE.run(Repository.root(), "-f", "docker-compose.yml", "config", "--quiet");

        assertThat(result.exitCode()).as("docker-compose config: %s", result.errors()).isZero();
    }

    @Test
    void runsEachServiceFromItsImageWithItsHttpPortPublishedAndHealthChecked() {
        Map<RoamService, JsonNode> services = roamServices();

        assertThat(services).containsOnlyKeys(RoamService.values());
        services.forEach((service, definition) -> {
            String port = String.valueOf(service.httpPort());
            assertThat(definition.path("image").asText()).as("image of %s", service).isEqualTo(service.image());
            assertThat(definition.path("healthcheck").path("test").toString()).as("health check of %s", service)
                    .contains(":" + port + "/q/health/ready");
            if (definition.has("ports")) {
                assertThat(definition.path("ports")).as("ports of %s", service)
                        .allSatisfy(mapping -> assertThat(mapping.asText().replaceAll("/tcp$", "")).endsWith(":" + port));
            }
        });
        assertThat(services.get(RoamService.GATEWAY).path("ports")).as("the gateway is published").isNotEmpty();
    }

    @Test
    void givesEachServiceOnlyEnvironmentVariablesItReadsAndTheWorkerTheSecretsItsProfilesName() {
        roamServices().forEach((service, definition) -> {
            StorageProfilesFile profiles = storageProfiles(service, definition);
            Map<String, String> environment = environment(definition);
            assertThat(profiles.profiles()).as("storage profiles of %s", service).isNotEmpty();
            assertThat(environment.keySet()).as("environment variables %s does not read", service)
                    .allSatisfy(name -> assertThat(service.reads(name, profiles.environmentVariables())).as(name).isTrue());
            if (service == RoamService.TRANSFER_WORKER) {
                assertThat(environment).as("secrets named by the worker's storage profiles").containsKeys(profiles.environmentVariables().toArray(String[]::new));
            }
        });
    }

    @Test
    void hasAStorageProfileOnEveryEmulatorAndOnALocalVolume() {
        JsonNode worker = roamServices().get(RoamService.TRANSFER_WORKER);

        assertThat(storageProfiles(RoamService.TRANSFER_WORKER, worker).profiles())
                .extracting(profile -> profile.backend())
                .contains("local", "s3", "azure", "gcs");
    }

    @Test
    void startsServicesOnlyOnceWhatTheyDependOnIsHealthyOrDone() {
        JsonNode services = config().path("services");

        services.properties().forEach(service -> service.getValue().path("depends_on").properties().forEach(dependency -> {
            String condition = dependency.getValue().path("condition").asText();
            assertThat(condition).as("%s depends on %s", service.getKey(), dependency.getKey())
                    .isIn("service_healthy", "service_completed_successfully", "service_started");
            if (condition.equals("service_healthy")) {
                assertThat(services.path(dependency.getKey()).has("healthcheck")).as("%s has a health check", dependency.getKey()).isTrue();
            }
        }));
        assertThat(EMULATORS).allSatisfy(emulator -> assertThat(services.has(emulator)).as(emulator).isTrue());
    }

    @Test
    void createsEveryRoamTopic() {
        String topicCreation = config().path("services").path("kafka-topics").path("command").toString();

        assertThat(KafkaTopicsOfRoam.all()).allSatisfy(topic -> assertThat(topicCreation).contains("create " + topic + " "));
    }

    private static Map<RoamService, JsonNode> roamServices() {
        Map<RoamService, JsonNode> services = new TreeMap<>();
        config().path("services").forEach(definition ->
                RoamService.ofImage(definition.path("image").asText()).ifPresent(service -> services.put(service, definition)));
        return services;
    }

    private static Map<String, String> environment(JsonNode definition) {
        Map<String, String> environment = new HashMap<>();
        definition.path("environment").properties().forEach(entry -> environment.put(entry.getKey(), entry.getValue().asText()));
        return environment;
    }

    /** The host file mounted where the service's QUARKUS_CONFIG_LOCATIONS points. */
    private static StorageProfilesFile storageProfiles(RoamService service, JsonNode definition) {
        String location = Optional.ofNullable(environment(definition).get(RoamService.CONFIG_LOCATIONS_VARIABLE))
                .orElseThrow(() -> new AssertionError("%s has no %s".formatted(service, RoamService.CONFIG_LOCATIONS_VARIABLE)));
        for (JsonNode volume : definition.path("volumes")) {
            List<String> parts = List.of(volume.asText().split(":"));
            if (parts.size() >= 2 && parts.get(1).equals(location)) {
                try {
                    return StorageProfilesFile.parse(Files.readString(Path.of(parts.get(0))), parts.get(0));
                }
                catch (IOException exception) {
                    throw new UncheckedIOException(exception);
                }
            }
        }
        throw new AssertionError("%s mounts no file at %s".formatted(service, location));
    }

    /** The file as Compose resolves it (anchors merged, variables substituted, paths absolute), read once. */
    private static JsonNode config() {
        return ResolvedConfig.CONFIG;
    }

    private static final class ResolvedConfig {
        private static final JsonNode CONFIG =
                Manifests.parse(ExternalCommand.DOCKER_COMPOSE.output(Repository.root(), "-f", "docker-compose.yml", "config")).getFirst();
    }
}
