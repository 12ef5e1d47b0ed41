package io.roam.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The schemas of every kind the deployment files use, vendored under {@code src/test/resources/schemas/}
 * by {@code update-schemas.sh}: {@code <apiVersion>/<Kind>.json}, a JSON schema of a built-in kind or of an
 * operator's kind, or {@code <apiVersion>/<Kind>.yaml}, an operator's CustomResourceDefinition. Objects are
 * validated strictly, as {@code kubectl apply} validates fields: unknown fields are errors.
 */
final class SchemaCatalog {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    /** The problems of {@code object} against the schema of its apiVersion and kind; empty when it is valid. */
    List<String> validate(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText();
        String kind = object.path("kind").asText();
        JsonSchema schema = schemas.computeIfAbsent(apiVersion + "/" + kind, key -> load(apiVersion, kind));
        return schema.validate(object).stream()
                .map(ValidationMessage::getMessage)
                .sorted()
                .toList();
    }

    private static JsonSchema load(String apiVersion, String kind) {
        String path = "schemas/" + apiVersion + "/" + kind;
        JsonNode jsonSchema = read(path + ".json");
        if (jsonSchema != null) {
            return FACTORY.getSchema(jsonSchema);
        }
        JsonNode definition = read(path + ".yaml");
        if (definition != null) {
            return FACTORY.getSchema(strictSchemaOf(definition, apiVersion.substring(apiVersion.lastIndexOf('/') + 1)));
        }
        throw new AssertionError("no schema vendored for %s %s: add the kind to deploy-checks/update-schemas.sh and run it".formatted(apiVersion, kind));
    }

    /**
     * The openAPIV3Schema of a CustomResourceDefinition's {@code version}, made strict the way the API server
     * treats structural schemas under strict field validation: an object that lists its properties accepts
     * no others, unless it preserves unknown fields.
     */
    private static JsonNode strictSchemaOf(JsonNode definition, String version) {
        for (JsonNode served : definition.path("spec").path("versions")) {
            if (served.path("name").asText().equals(version)) {
                JsonNode schema = served.path("schema").path("openAPIV3Schema").deepCopy();
                refuseUnknownProperties(schema);
                return schema;
            }
        }
        throw new AssertionError("the vendored %s defines no version %s".formatted(definition.path("metadata").path("name").asText(), version));
    }

    private static void refuseUnknownProperties(JsonNode schema) {
        if (!(schema instanceof ObjectNode object)) {
            return;
        }
        if (object.has("properties") && !object.has("additionalProperties")
                && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            object.put("additionalProperties", false);
        }
        object.path("properties").forEach(SchemaCatalog::refuseUnknownProperties);
        refuseUnknownProperties(object.path("items"));
        refuseUnknownProperties(object.path("additionalProperties"));
        for (String combination : List.of("allOf", "anyOf", "oneOf")) {
            object.path(combination).forEach(SchemaCatalog::refuseUnknownProperties);
        }
    }

    private static JsonNode read(String resource) {
        try (InputStream input = SchemaCatalog.class.getClassLoader().getResourceAsStream(resource)) {
            return input == null ? null : Manifests.YAML.readTree(input);
        }
        catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
    }
}
