package io.roam.infrastructure;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A packaged Quarkus application ({@code target/quarkus-app/quarkus-run.jar}) running in its own JVM, serving HTTP
 * on a free port of {@code 127.0.0.1}.
 *
 * <p>The configuration is passed as {@code -D} system properties, which Quarkus reads ahead of
 * {@code application.properties}, except for secrets (keys naming a password, a secret, a token or a JAAS
 * configuration), which go in the environment under their Quarkus names ({@code QUARKUS_DATASOURCE_PASSWORD},
 * {@code KAFKA_SASL_JAAS_CONFIG}) so that neither the process list nor a failure message shows them. The launcher always sets
 * {@code quarkus.http.host=127.0.0.1}, and {@code quarkus.http.port} to a free port unless the configuration names one, overriding the same keys
 * in the configuration given. The JVM runs in the directory of the log file, so a {@code config/} folder or
 * {@code .env} file of the caller's working directory is not picked up.
 *
 * <p>The application counts as started once {@code GET /q/health/ready} answers 200, so it needs the
 * {@code quarkus-smallrye-health} extension.
 */
public final class QuarkusApplication implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE_PERIOD = Duration.ofSeconds(15);
    private static final Duration HEALTH_REQUEST_TIMEOUT = Duration.ofSeconds(2);

    private final String name;
    private final ManagedProcess process;
    private final int port;
    private final Path logFile;

    private QuarkusApplication(String name, ManagedProcess process, int port, Path logFile) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /**
     * Starts the application and waits up to 90 seconds until it reports itself ready.
     *
     * @param name a short name for messages, for example {@code gateway}
     * @param quarkusRunJar the application's {@code quarkus-run.jar}
     * @param configuration configuration keys and values, passed as system properties
     * @param logFile the file that receives the application's standard output and error (appended to); its
     *         directory is created if missing and is the JVM's working directory
     * @return the running application
     * @throws IllegalStateException if the application exits or is not ready in time; the message says which and
     *         shows the end of the log file
     */
    public static QuarkusApplication start(String name, Path quarkusRunJar, Map<String, String> configuration,
            Path logFile) {
        requireNonNull(name, "name is null");
        requireNonNull(quarkusRunJar, "quarkusRunJar is null");
        requireNonNull(configuration, "configuration is null");
        requireNonNull(logFile, "logFile is null");
        if (!Files.isRegularFile(quarkusRunJar)) {
            throw new IllegalArgumentException("No packaged Quarkus application at " + quarkusRunJar
                    + " (build its module first)");
        }
        Path log = logFile.toAbsolutePath();
        createDirectories(log.getParent());
        int port = configuration.containsKey("quarkus.http.port")
                ? Integer.parseInt(configuration.get("quarkus.http.port"))
                : Ports.freePort();

        Map<String, String> systemProperties = new TreeMap<>();
        Map<String, String> environment = new TreeMap<>();
        configuration.forEach((key, value) -> {
            if (isSecret(key)) {
                environment.put(environmentName(key), value);
            }
            else {
                systemProperties.put(key, value);
            }
        });
        systemProperties.put("quarkus.http.host", Ports.LOOPBACK_ADDRESS);
        systemProperties.put("quarkus.http.port", String.valueOf(port));
        List<String> command = new ArrayList<>();
        command.add(ManagedProcess.javaExecutable().toString());
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(quarkusRunJar.toAbsolutePath().toString());

        ManagedProcess process = ManagedProcess.start("Quarkus application " + name, command, environment, log.getParent(),
                log);
        QuarkusApplication application = new QuarkusApplication(name, process, port, log);
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(HEALTH_REQUEST_TIMEOUT).build()) {
            Readiness.await(process, READY_TIMEOUT, () -> application.isReady(client));
        }
        catch (RuntimeException startFailure) {
            process.stop(STOP_GRACE_PERIOD);
            throw startFailure;
        }
        return application;
    }

    private static boolean isSecret(String key) {
        String lowerCase = key.toLowerCase(Locale.ROOT);
        return lowerCase.endsWith("password") || lowerCase.contains("secret") || lowerCase.contains("token")
                || lowerCase.contains("jaas");
    }

    /** The environment variable MicroProfile Config maps to a property: {@code a.b-c} is {@code A_B_C}. */
    static String environmentName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** The name given at start. */
    public String name() {
        return name;
    }

    /** The base URL of the HTTP server, {@code http://127.0.0.1:<port>/}. */
    public URI baseUrl() {
        return URI.create("http://" + Ports.LOOPBACK_ADDRESS + ":" + port + "/");
    }

    /** The HTTP port. */
    public int port() {
        return port;
    }

    /** The process ID of the application's JVM. */
    public long pid() {
        return process.pid();
    }

    /** The file receiving the application's standard output and error. */
    public Path logFile() {
        return logFile;
    }

    /** Stops the application: SIGTERM (Quarkus shuts down gracefully), up to 15 seconds, then SIGKILL. */
    @Override
    public void close() {
        process.stop(STOP_GRACE_PERIOD);
    }

    private boolean isReady(HttpClient client) {
        HttpRequest request = HttpRequest.newBuilder(baseUrl().resolve("q/health/ready"))
                .timeout(HEALTH_REQUEST_TIMEOUT)
                .GET()
                .build();
        try {
            return client.send(request, BodyHandlers.discarding()).statusCode() == 200;
        }
        catch (IOException notYetListening) {
            return false;
        }
        catch (InterruptedException exception) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + name, exception);
        }
    }

    private static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        }
        catch (IOException exception) {
            throw new UncheckedIOException("Could not create " + directory, exception);
        }
    }
}
