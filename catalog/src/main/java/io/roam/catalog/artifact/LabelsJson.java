package io.roam.catalog.artifact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** Labels as the JSON object PostgreSQL compares them with. */
final class LabelsJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LabelsJson() {
    }

    static String of(Map<String, String> labels) {
        try {
            return JSON.writeValueAsString(labels);
        }
        catch (JsonProcessingException impossible) {
            throw new IllegalStateException("a map of strings is always JSON", impossible);
        }
    }
}
