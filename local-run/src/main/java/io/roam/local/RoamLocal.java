package io.roam.local;

import io.roam.infrastructure.WorkDirectories;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * {@code ./run-local}: starts Roam on this machine with embedded defaults, writes a small demo
 * checkpoint, prints a development token (admin of every project, valid for 30 days or until the next start, which
 * makes a new signing key) and how to replicate the checkpoint with curl, and runs until interrupted.
 *
 * <p>Environment: {@code ROAM_HOME} (work directory, default {@code .roam} in the checkout; its Kafka
 * and PostgreSQL data are fresh on every start), {@code ROAM_GATEWAY_PORT} (default 8080), {@code
 * ROAM_LOCAL_ROOTS} (comma-separated directories the {@code local} storage profile serves, default
 * {@code /tmp/,/data/} plus the work directory), and {@code ROAM_DATABASE_URL}, {@code
 * ROAM_DATABASE_USERNAME}, {@code ROAM_DATABASE_PASSWORD} to use an existing PostgreSQL server.
 */
public final class RoamLocal {

    private RoamLocal() {
    }

    public static void main(String[] arguments) throws InterruptedException {
        Path repositoryRoot = Path.of(System.getProperty("roam.repository", ".")).toAbsolutePath().normalize();
        Path home = Path.of(environment("ROAM_HOME").orElse(repositoryRoot.resolve(".roam").toString())).toAbsolutePath().normalize();
        WorkDirectories.deleteRecursively(home.resolve("kafka"));
        WorkDirectories.deleteRecursively(home.resolve("postgres"));
        Path demo = writeDemoCheckpoint(home.resolve("demo/run-42/checkpoint-1000"));

        String roots = environment("ROAM_LOCAL_ROOTS").orElse("/tmp/,/data/") + "," + home + "/";
        Map<String, String> storage = new LinkedHashMap<>();
        storage.put("roam.storage.profiles.local.backend", "local");
        storage.put("roam.storage.profiles.local.roots", Arrays.stream(roots.split(","))
                .map(String::strip).filter(root -> !root.isEmpty()).map(root -> root.endsWith("/") ? root : root + "/")
                .distinct().collect(Collectors.joining(",")));
        storage.putAll(storageProfilesFromFile());
        int gatewayPort = environment("ROAM_GATEWAY_PORT").map(Integer::parseInt).orElse(8080);
        Optional<RoamStack.ExternalDatabase> database = environment("ROAM_DATABASE_URL").map(url -> new RoamStack.ExternalDatabase(url,
                environment("ROAM_DATABASE_USERNAME").orElse("postgres"), environment("ROAM_DATABASE_PASSWORD").orElse("")));

        System.out.println("Starting Kafka, PostgreSQL, catalog, transfer-worker and gateway (logs in " + home.resolve("logs") + ") ...");
        RoamStack stack = RoamStack.start(new RoamStack.Settings(repositoryRoot, home, storage, Optional.of(gatewayPort), database));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Roam ...");
            stack.close();
            stopped.countDown();
        }));
        System.out.println(banner(stack, demo, home, storage.get("roam.storage.profiles.local.roots")));
        stopped.await();
    }

    private static String banner(RoamStack stack, Path demo, Path home, String roots) {
        String gateway = stack.gatewayUrl().toString().replaceAll("/$", "");
        String replica = home.resolve("replicas/run-42/checkpoint-1000") + "/";
        return """

                Roam is running and healthy.
                  gateway          %1$s   (OpenAPI at %1$s/q/openapi)
                  catalog          %2$s
                  kafka            %3$s
                  local profile    serves %4$s
                  logs             %5$s

                Every request needs a token. This development token makes you admin of every project; it is
                valid for 30 days or until the next start, whichever comes first:
                  export ROAM_TOKEN=%8$s

                Replicate the demo checkpoint:
                  curl -s -X POST %1$s/v1/replications -H "Authorization: Bearer $ROAM_TOKEN" \\
                    -H 'Content-Type: application/json' -d '{
                    "project": "llm",
                    "artifact": {"kind": "checkpoint", "name": "run-42", "version": "checkpoint-1000"},
                    "source": "file://%6$s/",
                    "targets": ["file://%7$s"]}'

                Then follow the transfer and find the replicas (ids from the answer above):
                  curl -s -H "Authorization: Bearer $ROAM_TOKEN" %1$s/v1/transfers/<transfer id>
                  curl -s -H "Authorization: Bearer $ROAM_TOKEN" %1$s/v1/artifacts/<artifact id>

                Stop with Ctrl-C.
                """.formatted(gateway, stack.catalogUrl().toString().replaceAll("/$", ""), stack.kafkaBootstrapServers(), roots,
                home.resolve("logs"), demo, replica, stack.adminToken());
    }

    /**
     * The {@code roam.storage.profiles.*} entries of {@code ROAM_CONFIG}, or of {@code
     * ~/.config/roam/roam.properties} when it exists: further profiles (S3, Azure, …) for the local run.
     */
    private static Map<String, String> storageProfilesFromFile() {
        Path file = environment("ROAM_CONFIG").map(Path::of)
                .orElse(Path.of(System.getProperty("user.home"), ".config", "roam", "roam.properties"));
        if (!Files.isRegularFile(file)) {
            if (environment("ROAM_CONFIG").isPresent()) {
                throw new IllegalArgumentException("ROAM_CONFIG names " + file + ", which is not a readable file");
            }
            return Map.of();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        catch (IOException failure) {
            throw new UncheckedIOException("cannot read storage profiles from " + file, failure);
        }
        Map<String, String> profiles = new LinkedHashMap<>();
        properties.stringPropertyNames().stream().filter(key -> key.startsWith("roam.storage.profiles."))
                .forEach(key -> profiles.put(key, properties.getProperty(key)));
        System.out.println("Storage profiles from " + file + ": " + profiles.keySet().stream()
                .map(key -> key.split("\\.")[3]).distinct().collect(Collectors.joining(", ")));
        return profiles;
    }

    /** A few files in nested folders, like a small training checkpoint. */
    private static Path writeDemoCheckpoint(Path directory) {
        try {
            Files.createDirectories(directory.resolve("optimizer"));
            Random random = new Random(42);
            byte[] weights = new byte[8 * 1024 * 1024];
            random.nextBytes(weights);
            Files.write(directory.resolve("model.safetensors"), weights);
            byte[] optimizerState = new byte[2 * 1024 * 1024];
            random.nextBytes(optimizerState);
            Files.write(directory.resolve("optimizer/state.pt"), optimizerState);
            Files.writeString(directory.resolve("trainer_state.json"), "{\"global_step\": 1000, \"epoch\": 1.0}\n",
                    StandardCharsets.UTF_8);
            return directory;
        }
        catch (IOException failure) {
            throw new UncheckedIOException("cannot write the demo checkpoint to " + directory, failure);
        }
    }

    private static Optional<String> environment(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(value -> !value.isBlank());
    }
}
