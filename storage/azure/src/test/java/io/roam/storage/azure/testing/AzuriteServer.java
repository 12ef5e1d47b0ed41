package io.roam.storage.azure.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import io.roam.storage.Location;
import io.roam.storage.StorageProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;

/**
 * A real Azure Blob API server for tests: Azurite ({@value #VERSION}, from npm) as its own Node process,
 * on 127.0.0.1 and a free port, storing blobs on disk under the work directory. Installed on first use
 * into {@code ~/.cache/roam/npm/azurite-<version>} (under a file lock, by atomic rename, so concurrent
 * builds do not clash). Stopped, by its process, on {@link #close()}.
 *
 * <p>The account is Azurite's well-known {@value #ACCOUNT}. Its published development key is written to a
 * secret file in the work directory, so that {@link #profile} exercises the {@code account-key-file}
 * credential path as production profiles do.
 */
public final class AzuriteServer implements AutoCloseable {

    public static final String VERSION = "3.37.0";
    public static final String ACCOUNT = "devstoreaccount1";
    /** The well-known key of Azurite's development account, published by Microsoft: not a secret. */
    public static final String ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final int port;
    private final Path accountKeyFile;
    private final Path log;

    private AzuriteServer(Process process, int port, Path accountKeyFile, Path log) {
        this.process = process;
        this.port = port;
        this.accountKeyFile = accountKeyFile;
        this.log = log;
    }

    /** Starts a fresh, empty Azurite whose data, log and secret file live under {@code workDirectory}. */
    public static AzuriteServer start(Path workDirectory) throws IOException {
        requireNonNull(workDirectory, "workDirectory is null");
        Path executable = install();
        Path data = Files.createDirectories(workDirectory.resolve("azurite-data"));
        Path log = workDirectory.resolve("azurite.log");
        Path accountKeyFile = workDirectory.resolve("azurite-account-key");
        Files.writeString(accountKeyFile, ACCOUNT_KEY + "\n", UTF_8);
        Files.setPosixFilePermissions(accountKeyFile, PosixFilePermissions.fromString("rw-------"));

        int port = freePort();
        Process process = new ProcessBuilder(executable.toString(),
                "--blobHost", "127.0.0.1",
                "--blobPort", Integer.toString(port),
                "-l", data.toString(),
                "--silent",
                "--disableTelemetry",
                "--skipApiVersionCheck")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        AzuriteServer server = new AzuriteServer(process, port, accountKeyFile, log);
        try {
            Awaitility.await("Azurite accepting connections on port " + port)
                    .atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("Azurite exited with %d: %s".formatted(process.exitValue(), server.logText()));
                        }
                        return accepts(port);
                    });
        }
        catch (RuntimeException exception) {
            server.close();
            throw exception;
        }
        return server;
    }

    /** The blob endpoint, with the account in its path as Azurite wants it. */
    public String endpoint() {
        return "http://127.0.0.1:%d/%s".formatted(port, ACCOUNT);
    }

    /** The file holding the account key, for {@code account-key-file}. */
    public Path accountKeyFile() {
        return accountKeyFile;
    }

    /** A connection string for this server, with the account key. */
    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=%s;AccountKey=%s;BlobEndpoint=%s;".formatted(ACCOUNT, ACCOUNT_KEY, endpoint());
    }

    /** A client with the account key, to arrange what the backend does not do itself (create containers). */
    public BlobServiceClient client() {
        return new BlobServiceClientBuilder()
                .endpoint(endpoint())
                .credential(new StorageSharedKeyCredential(ACCOUNT, ACCOUNT_KEY))
                .httpClient(new JdkHttpClientBuilder().build())
                .buildClient();
    }

    public void createContainer(String name) {
        client().createBlobContainerIfNotExists(name);
    }

    /** A profile of the {@code azure} backend for this server, reading the account key from its file. */
    public StorageProfile profile(String name, List<Location> roots) {
        return profile(name, roots, Map.of());
    }

    /** The same with more (or overriding) properties, for example {@code block-size}. */
    public StorageProfile profile(String name, List<Location> roots, Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(Map.of(
                "account", ACCOUNT,
                "endpoint", endpoint(),
                "credentials", "account-key",
                "account-key-file", accountKeyFile.toString()));
        all.putAll(properties);
        return new StorageProfile(name, "azure", roots, Optional.empty(), Optional.empty(), all);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        catch (InterruptedException exception) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        }
        catch (IOException exception) {
            return "(log unreadable: " + exception + ")";
        }
    }

    /** The {@code azurite-blob} executable, installing Azurite with npm first when it is missing. */
    private static synchronized Path install() throws IOException {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "roam", "npm");
        Path installation = cache.resolve("azurite-" + VERSION);
        Path executable = installation.resolve("node_modules/.bin/azurite-blob");
        if (Files.isExecutable(executable)) {
            return executable;
        }
        Files.createDirectories(cache);
        try (FileChannel lockFile = FileChannel.open(cache.resolve("azurite-" + VERSION + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = lockFile.lock()) {
            if (Files.isExecutable(executable)) {
                return executable;
            }
            Path staging = cache.resolve("azurite-%s.installing-%s".formatted(VERSION, UUID.randomUUID()));
            Files.createDirectories(staging);
            Path installLog = staging.resolve("npm-install.log");
            Process npm = new ProcessBuilder("npm", "install", "--prefix", staging.toString(), "azurite@" + VERSION, "--no-audit", "--no-fund")
                    .redirectErrorStream(true)
                    .redirectOutput(installLog.toFile())
                    .start();
            boolean exited = npm.waitFor(INSTALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited || npm.exitValue() != 0 || !Files.isExecutable(staging.resolve("node_modules/.bin/azurite-blob"))) {
                npm.destroyForcibly();
                String output = Files.readString(installLog);
                deleteRecursively(staging);
                throw new IOException("cannot install azurite@%s with npm (%s): %s".formatted(VERSION, exited ? "exit " + npm.exitValue() : "timed out", output));
            }
            deleteRecursively(installation);
            Files.move(staging, installation, StandardCopyOption.ATOMIC_MOVE);
            return executable;
        }
        catch (InterruptedException exception) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while installing Azurite", exception);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        }
        catch (IOException notYet) {
            return false;
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                }
                catch (IOException exception) {
                    throw new UncheckedIOException(exception);
                }
            });
        }
    }
}
