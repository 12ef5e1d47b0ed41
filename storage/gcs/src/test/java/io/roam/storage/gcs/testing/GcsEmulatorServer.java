package io.roam.storage.gcs.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;

import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;

import io.roam.storage.Location;
import io.roam.storage.StorageProfile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real server of the Google Cloud Storage JSON API for tests: the storage emulator of firebase-tools,
 * started by the launcher script {@code gcs-emulator.cjs} with Node, on 127.0.0.1 and a free port, with
 * its data in a directory of the caller's. The launcher works around the emulator's bugs, each a named
 * quirk documented in the script (chunked resumable uploads, buckets created on first use, routes missing
 * their {@code /storage/v1} prefix, no authentication).
 *
 * <p>The server requires credentials: those of the service account {@link #SERVICE_ACCOUNT}, whose key
 * file {@link #profile} refers to. A key file for any other account ({@link #writeServiceAccountKey}) is
 * refused by the server's token endpoint, as Google refuses an unknown or revoked key.
 *
 * <p>firebase-tools is installed on first use under {@code ~/.cache/roam/npm/} with npm (several minutes;
 * concurrent test JVMs wait for one install). Needs {@code node} and {@code npm} on the {@code PATH}.
 */
public final class GcsEmulatorServer implements AutoCloseable {

    public static final String FIREBASE_TOOLS_VERSION = "15.34.2";
    public static final String PROJECT_ID = "roam-test";
    public static final String SERVICE_ACCOUNT = "roam-test@roam-test.iam.gserviceaccount.com";

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(20);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
    private static final String LAUNCHER = "gcs-emulator.cjs";
    private static final String INSTALLED_MARKER = ".roam-installed";

    private final Process process;
    private final OutputStream keepAlive;
    private final String endpoint;
    private final Path serviceAccountKey;
    private final Path log;

    private GcsEmulatorServer(Process process, String endpoint, Path serviceAccountKey, Path log) {
        this.process = process;
        this.keepAlive = process.getOutputStream();
        this.endpoint = endpoint;
        this.serviceAccountKey = serviceAccountKey;
        this.log = log;
    }

    /** Starts a server keeping its data, logs and key files in {@code workDirectory}. */
    public static GcsEmulatorServer start(Path workDirectory) {
        requireNonNull(workDirectory, "workDirectory is null");
        try {
            Files.createDirectories(workDirectory);
            Path firebaseTools = installFirebaseTools(workDirectory.resolve("npm-install.log"));
            Path launcher = workDirectory.resolve(LAUNCHER);
            try (InputStream script = GcsEmulatorServer.class.getResourceAsStream(LAUNCHER)) {
                Files.copy(requireNonNull(script, LAUNCHER + " is missing from the test classpath"), launcher, StandardCopyOption.REPLACE_EXISTING);
            }
            Path output = workDirectory.resolve("emulator.out");
            Path log = workDirectory.resolve("emulator.log");
            Process process = new ProcessBuilder("node", launcher.toString(),
                    "--firebase-tools", firebaseTools.toString(),
                    "--data-dir", workDirectory.resolve("data").toString(),
                    "--service-account", SERVICE_ACCOUNT)
                    .directory(workDirectory.toFile())
                    .redirectOutput(output.toFile())
                    .redirectError(log.toFile())
                    .start();
            String endpoint;
            try {
                endpoint = await("the GCS emulator to listen (log: %s)".formatted(log))
                        .atMost(START_TIMEOUT)
                        .pollInterval(Duration.ofMillis(50))
                        .failFast("the GCS emulator exited; see " + log, () -> !process.isAlive())
                        .until(() -> listeningEndpoint(output), Optional::isPresent)
                        .orElseThrow();
            }
            catch (RuntimeException exception) {
                process.destroyForcibly();
                throw exception;
            }
            Path key = writeServiceAccountKey(workDirectory.resolve("service-account.json"), SERVICE_ACCOUNT, endpoint);
            return new GcsEmulatorServer(process, endpoint, key, log);
        }
        catch (IOException exception) {
            throw new UncheckedIOException("cannot start the GCS emulator in " + workDirectory, exception);
        }
    }

    /** The URL of the JSON API, for the {@code endpoint} profile property. */
    public String endpoint() {
        return endpoint;
    }

    /** The key file of {@link #SERVICE_ACCOUNT}, which this server accepts. */
    public Path serviceAccountKey() {
        return serviceAccountKey;
    }

    /** The properties of a profile reaching this server with {@link #SERVICE_ACCOUNT}'s key file. */
    public Map<String, String> properties() {
        return Map.of(
                "endpoint", endpoint,
                "project-id", PROJECT_ID,
                "credentials", "service-account-file",
                "credentials-file", serviceAccountKey.toString());
    }

    public StorageProfile profile(String name, List<Location> roots) {
        return new StorageProfile(name, "gcs", roots, Optional.empty(), Optional.empty(), properties());
    }

    /** Creates a bucket: the server knows no bucket until one is created. */
    public void createBucket(String bucket) {
        try (Storage storage = client()) {
            storage.create(BucketInfo.of(bucket));
        }
        catch (Exception exception) {
            throw new IllegalStateException("cannot create bucket " + bucket, exception);
        }
    }

    /** A client of this server with {@link #SERVICE_ACCOUNT}'s key, to arrange what the backend does not do; the caller closes it. */
    public Storage client() {
        try (InputStream key = Files.newInputStream(serviceAccountKey)) {
            return StorageOptions.http()
                    .setHost(endpoint)
                    .setProjectId(PROJECT_ID)
                    .setCredentials(ServiceAccountCredentials.fromStream(key))
                    .build()
                    .getService();
        }
        catch (IOException exception) {
            throw new UncheckedIOException("cannot read the key file of " + SERVICE_ACCOUNT, exception);
        }
    }

    /**
     * Writes a service-account key file with a fresh RSA key, whose tokens come from this kind of server's
     * token endpoint at {@code endpoint}. The server grants tokens to {@link #SERVICE_ACCOUNT} only.
     */
    public static Path writeServiceAccountKey(Path file, String clientEmail, String endpoint) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            String privateKey = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(UTF_8)).encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            String json = """
                    {"type": "service_account", "project_id": "%s", "private_key_id": "roam-test-key", "private_key": "%s",
                     "client_email": "%s", "client_id": "1", "token_uri": "%s/token"}
                    """.formatted(PROJECT_ID, privateKey.replace("\n", "\\n"), clientEmail, endpoint);
            Files.writeString(file, json);
            return file;
        }
        catch (NoSuchAlgorithmException exception) {
            throw new IllegalStateException("every Java platform has RSA", exception);
        }
        catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
    }

    /** Stops the server: closing its standard input ends it; it is killed when it does not end in time. */
    @Override
    public void close() {
        try {
            keepAlive.close();
        }
        catch (IOException ignored) {
            // The server is stopped below all the same.
        }
        process.destroy();
        try {
            if (!process.waitFor(10, SECONDS)) {
                process.destroyForcibly().waitFor(10, SECONDS);
            }
        }
        catch (InterruptedException exception) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "GCS emulator at %s (log: %s)".formatted(endpoint, log);
    }

    private static Optional<String> listeningEndpoint(Path output) throws IOException {
        Matcher matcher = LISTENING.matcher(Files.readString(output));
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /**
     * Installs firebase-tools once per machine, holding a file lock so that concurrent test JVMs wait for
     * one install; a marker file written last tells a finished install from an interrupted one.
     */
    private static Path installFirebaseTools(Path installLog) throws IOException {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "roam", "npm");
        Path prefix = cache.resolve("firebase-tools-" + FIREBASE_TOOLS_VERSION);
        Path module = prefix.resolve("node_modules").resolve("firebase-tools");
        Path marker = prefix.resolve(INSTALLED_MARKER);
        if (Files.exists(marker)) {
            return module;
        }
        Files.createDirectories(cache);
        try (FileChannel lockFile = FileChannel.open(cache.resolve("firebase-tools-" + FIREBASE_TOOLS_VERSION + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = lockFile.lock()) {
            if (Files.exists(marker)) {
                return module;
            }
            // An install that finished before markers existed is complete when its emulator module is there.
            if (!Files.isRegularFile(module.resolve("lib/emulator/storage/index.js"))) {
                Process npm = new ProcessBuilder("npm", "install", "--prefix", prefix.toString(),
                        "firebase-tools@" + FIREBASE_TOOLS_VERSION, "--no-audit", "--no-fund")
                        .redirectErrorStream(true)
                        .redirectOutput(installLog.toFile())
                        .start();
                npm.getOutputStream().close();
                if (!npm.waitFor(INSTALL_TIMEOUT.toSeconds(), SECONDS)) {
                    npm.destroyForcibly();
                    throw new IOException("npm install of firebase-tools did not finish within %s; see %s".formatted(INSTALL_TIMEOUT, installLog));
                }
                if (npm.exitValue() != 0) {
                    throw new IOException("npm install of firebase-tools failed with exit code %d; see %s".formatted(npm.exitValue(), installLog));
                }
            }
            Files.writeString(marker, FIREBASE_TOOLS_VERSION + "\n");
            return module;
        }
        catch (InterruptedException exception) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while installing firebase-tools", exception);
        }
    }
}
