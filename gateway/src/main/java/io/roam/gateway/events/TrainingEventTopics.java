package io.roam.gateway.events;

import static java.util.Objects.requireNonNull;

import io.roam.contracts.messages.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which projects a training-events topic may carry. The broker authenticates producers and its ACLs decide who may
 * write which topic; the gateway binds topics to projects, so that a producer allowed to write one project's topic
 * cannot announce another project's artifacts:
 * <ul>
 *   <li>{@code roam.training-events.<project>} carries only events of that project;</li>
 *   <li>the shared {@code roam.training-events} carries events of the projects in
 *       {@code roam.gateway.training-events.shared-topic-projects}: {@code *} (the default, for a local run or a
 *       trusted cluster) every project, {@code none} no project (a shared cluster, where each producer is granted
 *       WRITE on its project's topic only).</li>
 * </ul>
 */
@ApplicationScoped
public class TrainingEventTopics {

    private static final String PROJECT_TOPIC_PREFIX = Topics.TRAINING_EVENTS + ".";

    private final List<String> sharedTopicProjects;

    public TrainingEventTopics(
            @ConfigProperty(name = "roam.gateway.training-events.shared-topic-projects", defaultValue = "*") List<String> sharedTopicProjects) {
        this.sharedTopicProjects = sharedTopicProjects.stream().map(String::strip).toList();
    }

    /** Why {@code topic} may not carry an event of {@code project}, if it may not. */
    public Optional<String> refusal(String topic, String project) {
        requireNonNull(topic, "topic is null");
        requireNonNull(project, "project is null");
        boolean carries = topic.equals(Topics.TRAINING_EVENTS)
                ? !sharedTopicProjects.contains("none") && (sharedTopicProjects.contains("*") || sharedTopicProjects.contains(project))
                : topic.equals(PROJECT_TOPIC_PREFIX + project);
        return carries ? Optional.empty() : Optional.of("topic " + topic + " may not carry events of project " + project);
    }
}
