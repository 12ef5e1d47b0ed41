package io.roam.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingEventTopicsTest {

    @Test
    void aProjectTopicCarriesOnlyItsProject() {
        TrainingEventTopics topics = new TrainingEventTopics(List.of("*"));

        assertThat(topics.refusal("roam.training-events.llm", "llm")).isEmpty();
        assertThat(topics.refusal("roam.training-events.llm", "vision"))
                .contains("topic roam.training-events.llm may not carry events of project vision");
        assertThat(topics.refusal("roam.training-events.llm", "llm.other")).isPresent();
    }

    @Test
    void theSharedTopicCarriesEveryProjectByDefault() {
        assertThat(new TrainingEventTopics(List.of("*")).refusal("roam.training-events", "vision")).isEmpty();
    }

    @Test
    void theSharedTopicCarriesOnlyTheListedProjectsAndNoneWithNone() {
        TrainingEventTopics listed = new TrainingEventTopics(List.of("llm", " audio"));
        assertThat(listed.refusal("roam.training-events", "llm")).isEmpty();
        assertThat(listed.refusal("roam.training-events", "audio")).isEmpty();
        assertThat(listed.refusal("roam.training-events", "vision")).isPresent();

        assertThat(new TrainingEventTopics(List.of("none")).refusal("roam.training-events", "llm"))
                .contains("topic roam.training-events may not carry events of project llm");
    }
}
