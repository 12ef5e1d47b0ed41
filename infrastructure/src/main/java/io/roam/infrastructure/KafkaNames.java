package io.roam.infrastructure;

import static java.util.Objects.requireNonNull;

import org.apache.kafka.common.resource.PatternType;

/**
 * The topics or consumer groups an ACL of a secured {@link KafkaBroker} covers: one name exactly, or every name
 * starting with a prefix (Kafka's {@code LITERAL} and {@code PREFIXED} resource patterns).
 *
 * @param name the name, or the prefix; not empty
 * @param matching how {@code name} is matched
 */
public record KafkaNames(String name, Matching matching) {

    /** How a name is matched. */
    public enum Matching {
        /** Only the name itself. */
        EXACTLY(PatternType.LITERAL),
        /** Every name that starts with it, the name itself included. */
        STARTING_WITH(PatternType.PREFIXED);

        private final PatternType patternType;

        Matching(PatternType patternType) {
            this.patternType = patternType;
        }
    }

    public KafkaNames {
        requireNonNull(name, "name is null");
        requireNonNull(matching, "matching is null");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name is empty");
        }
    }

    /** Only {@code name}. */
    public static KafkaNames exactly(String name) {
        return new KafkaNames(name, Matching.EXACTLY);
    }

    /** Every name starting with {@code prefix}. */
    public static KafkaNames startingWith(String prefix) {
        return new KafkaNames(prefix, Matching.STARTING_WITH);
    }

    PatternType patternType() {
        return matching.patternType;
    }
}
