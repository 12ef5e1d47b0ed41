package io.roam.deploy;

import io.roam.contracts.messages.Topics;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/** Every Kafka topic Roam uses: those of {@link Topics} and those the services' configuration names. */
final class KafkaTopicsOfRoam {

    private KafkaTopicsOfRoam() {
    }

    static Set<String> all() {
        Set<String> topics = new TreeSet<>();
        for (Field field : Topics.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    topics.add((String) field.get(null));
                }
                catch (IllegalAccessException exception) {
                    throw new IllegalStateException(exception);
                }
            }
        }
        Arrays.stream(RoamService.values()).forEach(service -> topics.addAll(service.topics()));
        return topics;
    }
}
