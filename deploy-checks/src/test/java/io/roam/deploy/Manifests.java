package io.roam.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/** The Kubernetes objects one Kustomize directory of deploy/ renders to. */
record Manifests(String directory, List<JsonNode> objects) {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    Manifests {
        requireNonNull(directory, "directory is null");
        objects = List.copyOf(objects);
    }

    private static final Map<String, Manifests> RENDERED = new ConcurrentHashMap<>();

    /**
     * Renders {@code directory} (relative to the checkout, such as {@code deploy/overlays/dev}) with
     * {@code kubectl kustomize}, once per test run.
     */
    static Manifests render(String directory) {
        return RENDERED.computeIfAbsent(directory, key -> {
            requireKustomizeVersion5();
            return new Manifests(key, parse(ExternalCommand.KUBECTL.output(Repository.root(), "kustomize", key)));
        });
    }

    /** deploy/ uses Kustomize 5 (labels, patches by target): an older kubectl fails with an obscure message. */
    private static void requireKustomizeVersion5() {
        try {
            JsonNode version = YAML.readTree(ExternalCommand.KUBECTL.output(Repository.root(), "version", "--client", "--output=json"));
            String kustomize = version.path("kustomizeVersion").asText("none");
            if (!kustomize.matches("v([5-9]|[1-9][0-9]+)\\..*")) {
                throw new AssertionError("kubectl %s embeds Kustomize %s: %s".formatted(
                        version.path("clientVersion").path("gitVersion").asText(), kustomize, ExternalCommand.KUBECTL.installHint()));
            }
        }
        catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
    }

    /** Every document of a multi-document YAML text. */
    static List<JsonNode> parse(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> iterator = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (iterator.hasNext()) {
                JsonNode document = iterator.next();
                if (document != null && !document.isNull() && !document.isEmpty()) {
                    documents.add(document);
                }
            }
        }
        catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
        return documents;
    }

    List<JsonNode> ofKind(String kind) {
        return objects.stream().filter(object -> object.path("kind").asText().equals(kind)).toList();
    }

    Optional<JsonNode> find(String kind, String name) {
        return ofKind(kind).stream().filter(object -> name(object).equals(name)).findFirst();
    }

    JsonNode get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("%s renders no %s named %s".formatted(directory, kind, name)));
    }

    /** The data of a rendered ConfigMap or Secret (a Secret's values stay base64-encoded: only keys matter here). */
    Map<String, String> data(String kind, String name) {
        Map<String, String> data = new TreeMap<>();
        JsonNode object = get(kind, name);
        object.path("data").properties().forEach(entry -> data.put(entry.getKey(), entry.getValue().asText()));
        object.path("stringData").properties().forEach(entry -> data.put(entry.getKey(), entry.getValue().asText()));
        return data;
    }

    static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    /** {@code Kind/name} of an object, for messages. */
    static String describe(JsonNode object) {
        return object.path("kind").asText() + "/" + name(object);
    }

    @Override
    public String toString() {
        return directory;
    }
}
