package io.roam.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The container of one of Roam's services in a rendered Deployment, with what it is given. */
record RoamContainer(Manifests manifests, JsonNode deployment, JsonNode container, RoamService service) {

    /** What a container's environment variable is set from, for messages. */
    static final String FROM_SECRET = "<from a Secret>";

    RoamContainer {
        requireNonNull(manifests, "manifests is null");
        requireNonNull(deployment, "deployment is null");
        requireNonNull(container, "container is null");
        requireNonNull(service, "service is null");
    }

    /** Every container of a Roam service in {@code manifests}. */
    static List<RoamContainer> in(Manifests manifests) {
        List<RoamContainer> containers = new ArrayList<>();
        for (JsonNode deployment : manifests.ofKind("Deployment")) {
            for (JsonNode container : deployment.path("spec").path("template").path("spec").path("containers")) {
                RoamService.ofImage(container.path("image").asText())
                        .ifPresent(service -> containers.add(new RoamContainer(manifests, deployment, container, service)));
            }
        }
        return containers;
    }

    /** The container of {@code service} in {@code manifests}. */
    static RoamContainer of(Manifests manifests, RoamService service) {
        return in(manifests).stream()
                .filter(container -> container.service() == service)
                .findFirst()
                .orElseThrow(() -> new AssertionError("%s renders no Deployment of %s".formatted(manifests, service)));
    }

    JsonNode podSpec() {
        return deployment.path("spec").path("template").path("spec");
    }

    JsonNode podLabels() {
        return deployment.path("spec").path("template").path("metadata").path("labels");
    }

    /**
     * The container's environment variables and their values ({@link #FROM_SECRET} for secret ones), from
     * {@code env} and from the rendered ConfigMaps and Secrets of {@code envFrom}; a Secret the manifests
     * do not contain (one the operator creates) gives its keys only at run time and is not listed.
     */
    Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode source : container.path("envFrom")) {
            if (source.has("configMapRef")) {
                String name = source.path("configMapRef").path("name").asText();
                manifests.data("ConfigMap", name).forEach(environment::put);
            }
            if (source.has("secretRef")) {
                String name = source.path("secretRef").path("name").asText();
                if (manifests.find("Secret", name).isPresent()) {
                    manifests.data("Secret", name).keySet().forEach(key -> environment.put(key, FROM_SECRET));
                }
            }
        }
        for (JsonNode variable : container.path("env")) {
            environment.put(variable.path("name").asText(),
                    variable.has("value") ? variable.path("value").asText() : describeSource(variable.path("valueFrom")));
        }
        return environment;
    }

    /** The storage profiles file the container reads: the ConfigMap mounted where QUARKUS_CONFIG_LOCATIONS points. */
    StorageProfilesFile storageProfiles() {
        String location = Optional.ofNullable(environment().get(RoamService.CONFIG_LOCATIONS_VARIABLE))
                .orElseThrow(() -> new AssertionError("%s: %s has no %s".formatted(manifests, this, RoamService.CONFIG_LOCATIONS_VARIABLE)));
        Path file = Path.of(location);
        for (JsonNode mount : container.path("volumeMounts")) {
            if (Path.of(mount.path("mountPath").asText()).equals(file.getParent())) {
                JsonNode volume = volume(mount.path("name").asText());
                String configMap = volume.path("configMap").path("name").asText();
                String content = manifests.data("ConfigMap", configMap).get(file.getFileName().toString());
                if (content == null) {
                    throw new AssertionError("%s: ConfigMap %s has no %s".formatted(manifests, configMap, file.getFileName()));
                }
                return StorageProfilesFile.parse(content, "%s ConfigMap %s".formatted(manifests, configMap));
            }
        }
        throw new AssertionError("%s: %s mounts nothing at %s".formatted(manifests, this, file.getParent()));
    }

    JsonNode volume(String name) {
        for (JsonNode volume : podSpec().path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        throw new AssertionError("%s: %s has no volume %s".formatted(manifests, this, name));
    }

    /** The container port named {@code name}. */
    int port(String name) {
        for (JsonNode port : container.path("ports")) {
            if (port.path("name").asText().equals(name)) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError("%s: %s has no port named %s".formatted(manifests, this, name));
    }

    private static String describeSource(JsonNode valueFrom) {
        if (valueFrom.has("secretKeyRef")) {
            return FROM_SECRET;
        }
        if (valueFrom.has("configMapKeyRef")) {
            return "<from ConfigMap %s>".formatted(valueFrom.path("configMapKeyRef").path("name").asText());
        }
        return "<from %s>".formatted(valueFrom.fieldNames().hasNext() ? valueFrom.fieldNames().next() : "nothing");
    }

    @Override
    public String toString() {
        return "Deployment/%s container %s".formatted(Manifests.name(deployment), container.path("name").asText());
    }
}
