package io.roam.endtoend;

import static io.roam.endtoend.RoamUnderTest.gateway;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import io.roam.contracts.security.ProjectRole;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Hugging Face callback of clients/python, run by a real Python interpreter inside a stand-in training
 * job, announces its checkpoint to the running Roam, over HTTP (with a token that may write only its project) and
 * over Kafka: the wire format the callback writes is the one the gateway reads.
 */
@ExtendWith(RoamUnderTest.class)
class PythonCallbackEndToEndTest {

    private static final Path PYTHON_CLIENT = Path.of("..", "clients", "python").toAbsolutePath().normalize();
    private static final String TRAINING_JOB = """
            import sys
            from roam_events.huggingface import RoamCheckpointCallback
            from tests.stand_ins import save_hugging_face_checkpoint, trainer_state, training_arguments
            output_dir = sys.argv[1]
            save_hugging_face_checkpoint(output_dir, 1000)
            callback = RoamCheckpointCallback(on_failure="raise")
            callback.on_save(training_arguments(output_dir), trainer_state(1000, 2.0), control=None)
            callback.on_train_end(training_arguments(output_dir), None, None)
            """;

    private final String project = "nlp-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aCheckpointSavedByAHuggingFaceTrainerIsRegisteredWhenAnnouncedOverHttp() throws Exception {
        String run = "bert-http";
        String token = RoamUnderTest.tokens().sign("training-job", Map.of(project, ProjectRole.WRITER));

        String output = runTrainingJob(run, Map.of("ROAM_GATEWAY_URL", RoamUnderTest.gatewayUrl(), "ROAM_TOKEN", token));

        assertRegistered(run);
        assertThat(output).as("what the training job printed").doesNotContain(token);
    }

    @Test
    void aCheckpointSavedByAHuggingFaceTrainerIsRegisteredWhenAnnouncedOnKafka() throws Exception {
        String run = "bert-kafka";
        runTrainingJob(run, Map.of("ROAM_KAFKA_BOOTSTRAP_SERVERS", RoamUnderTest.kafkaBootstrapServers()));

        assertRegistered(run);
    }

    private void assertRegistered(String run) {
        JsonPath artifact = await().atMost(Duration.ofMinutes(1)).until(
                () -> gateway().queryParam("project", project).queryParam("kind", "checkpoint").queryParam("name", run)
                        .get("/v1/artifacts/latest").then().extract().jsonPath(),
                found -> "checkpoint-1000".equals(found.getString("version")));
        assertThat(artifact.getString("labels.step")).isEqualTo("1000");
        assertThat(artifact.getString("labels.epoch")).isEqualTo("2");
        assertThat(artifact.<String>getList("replicas.location")).containsExactly(
                "file://" + RoamUnderTest.LOCAL_STORAGE.resolve(project).resolve(run).resolve("checkpoint-1000") + "/");
        assertThat(artifact.<String>getList("replicas.state")).containsExactly("AVAILABLE");
    }

    /** Runs the job to its end and returns what it printed. */
    private String runTrainingJob(String run, Map<String, String> destination) throws IOException, InterruptedException {
        Path outputDirectory = RoamUnderTest.LOCAL_STORAGE.resolve(project).resolve(run);
        ProcessBuilder job = new ProcessBuilder(python(), "-c", TRAINING_JOB, outputDirectory.toString())
                .directory(PYTHON_CLIENT.toFile())
                .redirectErrorStream(true);
        job.environment().put("PYTHONPATH", PYTHON_CLIENT.toString());
        job.environment().put("ROAM_PROJECT", project);
        job.environment().putAll(destination);
        Process process = job.start();
        boolean exited = process.waitFor(2, TimeUnit.MINUTES);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(exited).as("the training job finished: %s", output).isTrue();
        assertThat(process.exitValue()).as("the training job's exit status; its output: %s", output).isZero();
        return output;
    }

    /** The Debian interpreter, which has kafka-python (installed by bin/test-tools.sh); any python3 otherwise. */
    private static String python() {
        return Path.of("/usr/bin/python3").toFile().canExecute() ? "/usr/bin/python3" : "python3";
    }
}
