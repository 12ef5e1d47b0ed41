package io.roam.deploy;

import io.roam.contracts.messages.Topics;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway subscribes to training events by pattern (the shared topic and one topic per project): the
 * topics the deployments create must include one it reads, and never feed it its own dead letters.
 */
class TopicSubscriptionsTest {

    @Test
    void theGatewayReadsTheSharedAndEveryProjectTrainingEventTopicButNotTheDeadLetters() {
        assertThat(RoamService.GATEWAY.subscriptionPatterns()).singleElement().satisfies(pattern -> {
            assertThat(matches(pattern, Topics.TRAINING_EVENTS)).isTrue();
            assertThat(matches(pattern, Topics.TRAINING_EVENTS + ".llm")).isTrue();
            assertThat(matches(pattern, Topics.TRAINING_EVENTS + ".vision-2")).isTrue();
            assertThat(matches(pattern, Topics.TRAINING_EVENTS_DEAD_LETTER)).isFalse();
            assertThat(matches(pattern, Topics.TRANSFER_EVENTS)).isFalse();
        });
    }

    @Test
    void noOtherServiceSubscribesByPattern() {
        assertThat(RoamService.CATALOG.subscriptionPatterns()).isEmpty();
        assertThat(RoamService.TRANSFER_WORKER.subscriptionPatterns()).isEmpty();
    }

    private static boolean matches(Pattern pattern, String topic) {
        return pattern.matcher(topic).matches();
    }
}
