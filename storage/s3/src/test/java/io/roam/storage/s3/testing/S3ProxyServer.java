package io.roam.storage.s3.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;
import static org.awaitility.Awaitility.await;

import io.roam.storage.Location;
import io.roam.storage.StorageProfile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3Proxy server (filesystem-nio2 storage under the work directory) in its own JVM, listening
 * on {@code 127.0.0.1} on a free port, with AWS signature v2/v4 authentication by a random identity
 * and secret. Stopped by its PID on {@link #close()}, and by a shutdown hook if the tests die first.
 *
 * <p>The S3Proxy jar comes from Maven Central: the build of this module writes its path to the
 * {@code s3proxy.classpath} resource next to this class.
 *
 * <p>The work directory belongs to the caller; the server keeps in it its {@code s3proxy.properties},
 * its output {@code s3proxy.log}, the stored objects under {@code data/}, and the credentials file
 * {@code credentials.properties} that {@link #profile} points profiles at.
 */
public final class S3ProxyServer implements AutoCloseable {

    public static final String REGION = "us-east-1";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE_PERIOD = Duration.ofSeconds(10);

    private final Process process;
    private final Thread shutdownHook;
    private final URI endpoint;
    private final Optional<Tls> tls;
    private final String accessKeyId;
    private final String secretAccessKey;
    private final Path credentialsFile;
    private final Path log;

    /** The server's HTTPS endpoint and the PEM file of its self-signed certificate. */
    public record Tls(URI endpoint, Path certificateFile) {
    }

    private S3ProxyServer(Process process, URI endpoint, Optional<Tls> tls, String accessKeyId, String secretAccessKey, Path credentialsFile,
            Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.tls = tls;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.credentialsFile = credentialsFile;
        this.log = log;
        this.shutdownHook = new Thread(process::destroy, "stop S3Proxy");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a server storing its objects under the work directory and waits until it accepts connections. */
    public static S3ProxyServer start(Path workDirectory) {
        return start(workDirectory, false);
    }

    /**
     * Starts a server that also serves HTTPS ({@link #tls()}), with a certificate for {@code 127.0.0.1} made
     * by the JDK's {@code keytool} and trusted by nothing but a profile given its PEM file.
     */
    public static S3ProxyServer startWithTls(Path workDirectory) {
        return start(workDirectory, true);
    }

    private static S3ProxyServer start(Path workDirectory, boolean withTls) {
        requireNonNull(workDirectory, "workDirectory is null");
        try {
            Path directory = workDirectory.toAbsolutePath();
            Path data = Files.createDirectories(directory.resolve("data"));
            int port = freePort();
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            String accessKeyId = "roam-" + UUID.randomUUID().toString().substring(0, 8);
            String secretAccessKey = UUID.randomUUID().toString();
            List<String> tlsProperties = List.of();
            Optional<Tls> tls = Optional.empty();
            if (withTls) {
                String keyStorePassword = UUID.randomUUID().toString();
                Path keyStore = directory.resolve("s3proxy-keystore.p12");
                Path certificate = directory.resolve("s3proxy-certificate.pem");
                keytool(directory, "-genkeypair", "-alias", "s3proxy", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                        "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                        "-storepass", keyStorePassword);
                keytool(directory, "-exportcert", "-rfc", "-alias", "s3proxy", "-keystore", keyStore.toString(), "-storepass", keyStorePassword,
                        "-file", certificate.toString());
                tls = Optional.of(new Tls(URI.create("https://127.0.0.1:" + freePort()), certificate));
                tlsProperties = List.of(
                        "s3proxy.secure-endpoint=" + tls.get().endpoint(),
                        "s3proxy.keystore-path=" + keyStore,
                        "s3proxy.keystore-password=" + keyStorePassword);
            }

            Path properties = directory.resolve("s3proxy.properties");
            Files.writeString(properties, String.join("\n", tlsProperties) + "\n" + String.join("\n",
                    "s3proxy.endpoint=" + endpoint,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + accessKeyId,
                    "s3proxy.credential=" + secretAccessKey,
                    // Without it S3Proxy answers 501 to S3 headers it does not know, such as x-amz-mp-object-size.
                    "s3proxy.ignore-unknown-headers=true",
                    "jclouds.provider=filesystem-nio2",
                    "jclouds.filesystem.basedir=" + data,
                    ""), UTF_8);
            Path credentialsFile = directory.resolve("credentials.properties");
            Files.writeString(credentialsFile, "aws_access_key_id = %s\naws_secret_access_key = %s\n".formatted(accessKeyId, secretAccessKey), UTF_8);

            Path log = directory.resolve("s3proxy.log");
            Process process = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-XX:+UseSerialGC",
                    "-jar", s3ProxyJar().toString(),
                    "--properties", properties.toString())
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(log.toFile()))
                    .start();
            S3ProxyServer server = new S3ProxyServer(process, endpoint, tls, accessKeyId, secretAccessKey, credentialsFile, log);
            try {
                List<Integer> ports = tls.map(secure -> List.of(port, secure.endpoint().getPort())).orElse(List.of(port));
                await("S3Proxy accepting connections on " + ports)
                        .atMost(START_TIMEOUT)
                        .pollInterval(Duration.ofMillis(100))
                        .failFast("S3Proxy exited; see " + log, () -> !process.isAlive())
                        .until(() -> ports.stream().allMatch(S3ProxyServer::accepts));
            }
            catch (RuntimeException startFailure) {
                server.close();
                throw new IllegalStateException(startFailure.getMessage() + "; S3Proxy output:\n" + Files.readString(log, UTF_8), startFailure);
            }
            return server;
        }
        catch (IOException exception) {
            throw new UncheckedIOException("cannot start S3Proxy in " + workDirectory, exception);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The HTTPS endpoint and certificate of a server started {@linkplain #startWithTls with TLS}. */
    public Tls tls() {
        return tls.orElseThrow(() -> new IllegalStateException("this S3Proxy serves plain HTTP only"));
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    public String secretAccessKey() {
        return secretAccessKey;
    }

    /** A file holding this server's access key id and secret, as a mounted secret would. */
    public Path credentialsFile() {
        return credentialsFile;
    }

    public long pid() {
        return process.pid();
    }

    /** A plain SDK client of this server, for tests to set up and inspect what the backend cannot (buckets, uploads). */
    public S3Client newClient() {
        return S3Client.builder()
                .httpClientBuilder(Apache5HttpClient.builder())
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
                .build();
    }

    /** Creates a bucket, which S3Proxy stores as a directory. */
    public void createBucket(String bucket) {
        try (S3Client client = newClient()) {
            client.createBucket(request -> request.bucket(bucket));
        }
    }

    /**
     * A profile of the {@code s3} backend for this server, reading the credentials from
     * {@link #credentialsFile()} unless the extra properties choose other {@code credentials}.
     *
     * @param extraProperties more properties, overriding the defaults (such as {@code part-size})
     */
    public StorageProfile profile(String name, List<Location> roots, Map<String, String> extraProperties) {
        Map<String, String> properties = new HashMap<>(Map.of(
                "endpoint", endpoint.toString(),
                "path-style-access", "true",
                "credentials", "file",
                "credentials-file", credentialsFile.toString()));
        properties.putAll(extraProperties);
        if (!properties.get("credentials").equals("file")) {
            properties.remove("credentials-file");
        }
        return new StorageProfile(name, "s3", roots, Optional.of(REGION), Optional.empty(), properties);
    }

    /** Stops the server: SIGTERM, then SIGKILL after a grace period. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE_PERIOD.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_GRACE_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        catch (InterruptedException exception) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        catch (IllegalStateException shutdownInProgress) {
            // The JVM is exiting: the hook stops a process that is already gone.
        }
    }

    @Override
    public String toString() {
        return "S3Proxy at %s (PID %d, output in %s)".formatted(endpoint, process.pid(), log);
    }

    private static Path s3ProxyJar() throws IOException {
        try (InputStream resource = S3ProxyServer.class.getResourceAsStream("s3proxy.classpath")) {
            if (resource == null) {
                throw new IllegalStateException("s3proxy.classpath is missing: build roam-storage-s3 with Maven, which writes it");
            }
            Path jar = Path.of(new String(resource.readAllBytes(), UTF_8).strip());
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("the S3Proxy jar " + jar + " is missing: build roam-storage-s3 with Maven, which downloads it");
            }
            return jar;
        }
    }

    /** Runs the JDK's keytool, failing with its output when it fails. */
    private static void keytool(Path directory, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        Process keytool = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), UTF_8);
        try {
            if (keytool.waitFor() != 0) {
                throw new IllegalStateException("keytool %s failed: %s".formatted(arguments[0], output));
            }
        }
        catch (InterruptedException interrupted) {
            keytool.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while keytool ran", interrupted);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        }
        catch (IOException notYet) {
            return false;
        }
    }
}
