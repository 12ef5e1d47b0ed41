package io.roam.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * A JSON object naming one key twice is refused at the public edge: parsers disagree on which of the two
 * wins, so a request could be validated with one value and acted on with the other.
 */
@Singleton
public class StrictDuplicateKeysCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper objectMapper) {
        objectMapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }
}
