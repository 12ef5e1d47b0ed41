package io.roam.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.common.sas.AccountSasPermission;
import com.azure.storage.common.sas.AccountSasResourceType;
import com.azure.storage.common.sas.AccountSasService;
import com.azure.storage.common.sas.AccountSasSignatureValues;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.roam.storage.Location;
import io.roam.storage.StorageProfile;
import io.roam.storage.azure.testing.AzuriteServer;
import io.roam.storage.config.StorageConfiguration;
import io.roam.storage.gcs.testing.GcsEmulatorServer;
import io.roam.storage.s3.testing.S3ProxyServer;
import io.roam.storage.sftp.testing.SftpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Every server the benchmark copies between, started with the test launchers of the storage modules,
 * each on 127.0.0.1 and a free port with its data under the work directory: two S3Proxy servers (the
 * sources live on the first), Azurite, the GCS emulator and an SFTP server; and the stores that reach
 * them with plain SDK clients. Writes the configuration files that point Roam and rclone at them.
 */
final class BenchmarkServers implements AutoCloseable {

    static final String SOURCE_BUCKET = "bench-a";
    static final String TARGET_BUCKET = "bench-b";
    static final String CONTAINER = "bench";
    static final String GCS_BUCKET = "bench-gcs";

    private final List<AutoCloseable> resources = new ArrayList<>();
    private S3ProxyServer sourceS3;
    private S3ProxyServer targetS3;
    private AzuriteServer azurite;
    private GcsEmulatorServer gcs;
    private SftpServer sftp;

    private LocalStore local;
    private S3Store sourceS3Store;
    private S3Store targetS3Store;
    private AzureStore azureStore;
    private GcsStore gcsStore;
    private SftpStore sftpStore;

    private BenchmarkServers() {
    }

    /**
     * Starts every server.
     *
     * @param parallelism how many readers the SFTP store may run at once
     */
    static BenchmarkServers start(Path workDirectory, int parallelism) throws IOException, GeneralSecurityException {
        BenchmarkServers servers = new BenchmarkServers();
        try {
            servers.startAll(workDirectory, parallelism);
            return servers;
        }
        catch (IOException | GeneralSecurityException | RuntimeException failure) {
            servers.close();
            throw failure;
        }
    }

    private void startAll(Path workDirectory, int parallelism) throws IOException, GeneralSecurityException {
        local = new LocalStore(Files.createDirectories(workDirectory.resolve("local")));

        sourceS3 = remember(S3ProxyServer.start(Files.createDirectories(workDirectory.resolve("s3-a"))));
        sourceS3.createBucket(SOURCE_BUCKET);
        sourceS3Store = new S3Store("s3a", remember(sourceS3.newClient()), SOURCE_BUCKET);
        targetS3 = remember(S3ProxyServer.start(Files.createDirectories(workDirectory.resolve("s3-b"))));
        targetS3.createBucket(TARGET_BUCKET);
        targetS3Store = new S3Store("s3b", remember(targetS3.newClient()), TARGET_BUCKET);

        azurite = remember(AzuriteServer.start(Files.createDirectories(workDirectory.resolve("azurite"))));
        azurite.createContainer(CONTAINER);
        azureStore = new AzureStore("azure", azurite.client().getBlobContainerClient(CONTAINER));

        gcs = remember(GcsEmulatorServer.start(Files.createDirectories(workDirectory.resolve("gcs"))));
        gcs.createBucket(GCS_BUCKET);
        gcsStore = new GcsStore("gcs", remember(gcsClient(gcs)), GCS_BUCKET);

        sftp = remember(SftpServer.start(Files.createDirectories(workDirectory.resolve("sftp"))));
        sftpStore = remember(new SftpStore(sftp, parallelism));
    }

    private static Storage gcsClient(GcsEmulatorServer server) throws IOException {
        try (InputStream key = Files.newInputStream(server.serviceAccountKey())) {
            return StorageOptions.http()
                    .setHost(server.endpoint())
                    .setProjectId(GcsEmulatorServer.PROJECT_ID)
                    .setCredentials(ServiceAccountCredentials.fromStream(key))
                    .build()
                    .getService();
        }
    }

    private <T extends AutoCloseable> T remember(T resource) {
        resources.add(resource);
        return resource;
    }

    LocalStore local() {
        return local;
    }

    /** The S3 server the S3 sources live on. */
    S3Store sourceS3() {
        return sourceS3Store;
    }

    /** The other S3 server, where copies to S3 go. */
    S3Store targetS3() {
        return targetS3Store;
    }

    AzureStore azure() {
        return azureStore;
    }

    GcsStore gcs() {
        return gcsStore;
    }

    SftpStore sftp() {
        return sftpStore;
    }

    /**
     * Writes Roam's storage profiles: one per server, and the local store's directory, configured as a
     * scratch disk ({@code sync=false}): rclone does not sync what it writes either, and the raw write
     * ceiling is the page cache's. The S3 profiles send bodies without their signed SHA-256 ({@code
     * sign-payloads=false}), checked by their CRC32C, as rclone sends them unsigned with their MD5.
     *
     * @param partConcurrency the {@code upload-concurrency} of the S3 and Azure profiles
     * @param s3HttpClient the {@code http-client} of the S3 profiles
     */
    Path writeRoamConfiguration(Path file, int partConcurrency, String s3HttpClient) throws IOException {
        String concurrency = Integer.toString(partConcurrency);
        List<StorageProfile> profiles = List.of(
                new StorageProfile("local", "local", List.of(Location.parse(local.roamLocation(""))), Optional.empty(), Optional.empty(),
                        Map.of("sync", "false")),
                sourceS3.profile("s3-a", List.of(Location.parse("s3://" + SOURCE_BUCKET + "/")),
                        Map.of("part-size", "8MiB", "upload-concurrency", concurrency, "http-client", s3HttpClient, "sign-payloads", "false")),
                targetS3.profile("s3-b", List.of(Location.parse("s3://" + TARGET_BUCKET + "/")),
                        Map.of("part-size", "8MiB", "upload-concurrency", concurrency, "http-client", s3HttpClient, "sign-payloads", "false")),
                azurite.profile("azure", List.of(Location.parse("az://" + CONTAINER + "/")),
                        Map.of("block-size", "8MiB", "upload-concurrency", concurrency)),
                new StorageProfile("gcs", "gcs", List.of(Location.parse("gs://" + GCS_BUCKET + "/")), Optional.empty(), Optional.empty(),
                        withChunkSize(gcs.properties())),
                sftp.profile("sftp"));
        Properties properties = new Properties();
        profiles.forEach(profile -> properties.putAll(StorageConfiguration.toConfiguration(profile)));
        return writePrivately(file, properties, "Roam storage profiles of the benchmark's servers");
    }

    private static Map<String, String> withChunkSize(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.put("chunk-size", GcsStore.CHUNK_SIZE / (1024 * 1024) + "MiB");
        return all;
    }

    /** Writes rclone's remotes {@code s3a}, {@code s3b}, {@code azure}, {@code gcs} and {@code sftp}. */
    Path writeRcloneConfiguration(Path file) throws IOException {
        StringBuilder configuration = new StringBuilder();
        s3Remote(configuration, "s3a", sourceS3);
        s3Remote(configuration, "s3b", targetS3);
        // rclone 1.60's use_emulator is broken; an account SAS URL reaches Azurite.
        configuration.append("[azure]\ntype = azureblob\nsas_url = ").append(azurite.endpoint()).append('?').append(accountSas(azurite.client()))
                .append("\n\n");
        configuration.append("[gcs]\ntype = google cloud storage\nservice_account_file = ").append(gcs.serviceAccountKey())
                .append("\nendpoint = ").append(gcs.endpoint()).append("/storage/v1/\nbucket_policy_only = true\n\n");
        // The SFTP server runs no shell: rclone must not try remote hash commands.
        configuration.append("[sftp]\ntype = sftp\nhost = ").append(sftp.host()).append("\nport = ").append(sftp.port())
                .append("\nuser = ").append(sftp.username()).append("\nkey_file = ").append(sftp.privateKeyFile())
                .append("\nknown_hosts_file = ").append(sftp.knownHostsFile()).append("\nshell_type = none\ndisable_hashcheck = true\n\n");
        Files.writeString(file, configuration, UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static void s3Remote(StringBuilder configuration, String name, S3ProxyServer server) {
        configuration.append('[').append(name).append("]\ntype = s3\nprovider = Other\nendpoint = ").append(server.endpoint())
                .append("\nregion = ").append(S3ProxyServer.REGION)
                .append("\naccess_key_id = ").append(server.accessKeyId())
                .append("\nsecret_access_key = ").append(server.secretAccessKey())
                .append("\nforce_path_style = true\n\n");
    }

    private static String accountSas(BlobServiceClient client) {
        return client.generateAccountSas(new AccountSasSignatureValues(OffsetDateTime.now().plusDays(1),
                AccountSasPermission.parse("rwdlacup"), AccountSasService.parse("b"), AccountSasResourceType.parse("sco")));
    }

    private static Path writePrivately(Path file, Properties properties, String comment) throws IOException {
        try (Writer writer = Files.newBufferedWriter(file, UTF_8)) {
            properties.store(writer, comment);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** Stops every server, the last started first. */
    @Override
    public void close() {
        for (int index = resources.size() - 1; index >= 0; index--) {
            try {
                resources.get(index).close();
            }
            catch (Exception failure) {
                System.err.println("benchmark: cannot stop " + resources.get(index) + ": " + failure);
            }
        }
        resources.clear();
    }
}
