package io.roam.storage.sftp;

import static io.roam.storage.testing.AbstractStorageFileSystemContractTest.assertFailsWith;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.roam.storage.FileEntry;
import io.roam.storage.FileIterator;
import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageErrors;
import io.roam.storage.StorageException;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageOutputStream;
import io.roam.storage.StorageProfile;
import io.roam.storage.StorageRouter;
import io.roam.storage.sftp.testing.SftpServer;
import io.roam.storage.testing.TestContent;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.io.nio2.Nio2Session;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SftpFileSystemTest {

    @TempDir
    static Path workDirectory;

    @TempDir
    Path temporaryDirectory;

    private static SftpServer server;

    private String directoryName;
    private Location root;
    private Path rootOnDisk;

    @BeforeAll
    static void startServer() throws Exception {
        server = SftpServer.start(workDirectory);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void createRoot() throws IOException {
        directoryName = "test-" + UUID.randomUUID();
        root = server.location(directoryName + "/");
        rootOnDisk = Files.createDirectories(server.rootDirectory().resolve(directoryName));
    }

    @Test
    void authenticatesWithAPrivateKey() throws IOException {
        Map<String, String> properties = server.properties();
        properties.remove("password-file");
        properties.put("credentials", "private-key-file");
        properties.put("private-key-file", server.privateKeyFile().toString());

        try (StorageFileSystem fileSystem = create(properties)) {
            assertRoundTrip(fileSystem, root.resolve("key.bin"));
        }
    }

    @Test
    void authenticatesWithAnEncryptedPrivateKeyWhosePassphraseIsInTheEnvironment() throws Exception {
        Path encryptedKey = server.writePrivateKey(temporaryDirectory.resolve("id_ecdsa"), Optional.of("correct horse"));
        Map<String, String> properties = server.properties();
        properties.remove("password-file");
        properties.put("credentials", "private-key-file");
        properties.put("private-key-file", encryptedKey.toString());
        properties.put("private-key-passphrase-env", "ROAM_TEST_SFTP_PASSPHRASE");

        try (StorageFileSystem fileSystem = create(properties, Map.of("ROAM_TEST_SFTP_PASSPHRASE", "correct horse"))) {
            assertRoundTrip(fileSystem, root.resolve("encrypted-key.bin"));
        }
        try (StorageFileSystem fileSystem = create(properties, Map.of("ROAM_TEST_SFTP_PASSPHRASE", "wrong horse"))) {
            assertThatThrownBy(() -> fileSystem.stat(root.resolve("encrypted-key.bin")))
                    .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.ACCESS_DENIED))
                    .message().doesNotContain("horse");
        }
    }

    @Test
    void authenticatesWithAPasswordFromTheEnvironment() throws IOException {
        Map<String, String> properties = server.properties();
        properties.remove("password-file");
        properties.put("credentials", "password-env");
        properties.put("password-env", "ROAM_TEST_SFTP_PASSWORD");

        try (StorageFileSystem fileSystem = create(properties, Map.of("ROAM_TEST_SFTP_PASSWORD", server.password()))) {
            assertRoundTrip(fileSystem, root.resolve("environment.bin"));
        }
    }

    @Test
    void takesTheUserFromTheLocation() throws IOException {
        Map<String, String> properties = server.properties();
        properties.remove("username");
        Location rootWithUser = Location.parse("sftp://%s@%s:%d/%s/".formatted(SftpServer.USERNAME, server.host(), server.port(), directoryName));
        StorageProfile profile = new StorageProfile("with-user", "sftp", List.of(rootWithUser), Optional.empty(), Optional.empty(), properties);

        try (StorageFileSystem fileSystem = new SftpStorageBackend().create(profile)) {
            assertRoundTrip(fileSystem, rootWithUser.resolve("user.bin"));
        }
    }

    @Test
    void aWrongPasswordIsAccessDeniedWithoutThePasswordInTheMessage() throws IOException {
        String wrongPassword = "wrong-" + UUID.randomUUID();
        Map<String, String> properties = server.properties();
        properties.put("password-file", Files.writeString(temporaryDirectory.resolve("password"), wrongPassword).toString());

        try (StorageFileSystem fileSystem = create(properties)) {
            assertThatThrownBy(() -> fileSystem.stat(root.resolve("file.bin")))
                    .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.ACCESS_DENIED))
                    .message()
                    .isEqualTo("cannot stat '%s': authentication as roam@127.0.0.1:%d failed: the server refused the configured credentials",
                            root.resolve("file.bin"), server.port())
                    .doesNotContain(wrongPassword)
                    .doesNotContain(server.password());
        }
    }

    @Test
    void aKeyTheServerDoesNotAcceptIsAccessDenied() throws Exception {
        SftpServer otherKeys = SftpServer.start(temporaryDirectory.resolve("other-server"));
        otherKeys.close();
        Map<String, String> properties = server.properties();
        properties.remove("password-file");
        properties.put("credentials", "private-key-file");
        properties.put("private-key-file", otherKeys.privateKeyFile().toString());

        try (StorageFileSystem fileSystem = create(properties)) {
            assertFailsWith(StorageErrorKind.ACCESS_DENIED, () -> fileSystem.stat(root.resolve("file.bin")));
        }
    }

    @Test
    void refusesAnUnknownHostKey() throws Exception {
        Map<String, String> properties = server.properties();
        properties.put("known-hosts-file", server.writeKnownHosts(temporaryDirectory.resolve("known_hosts"), SftpServer.generateKeyPair().getPublic()).toString());

        try (StorageFileSystem fileSystem = create(properties)) {
            assertThatThrownBy(() -> fileSystem.stat(root.resolve("file.bin")))
                    .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.ACCESS_DENIED))
                    .hasMessageEndingWith("the host key of roam@127.0.0.1:%d is not trusted: it is not the key that property 'known-hosts-file' or 'host-key-fingerprint' names",
                            server.port());
        }
    }

    @Test
    void refusesAHostMissingFromTheKnownHostsFile() throws IOException {
        Map<String, String> properties = server.properties();
        properties.put("known-hosts-file", Files.writeString(temporaryDirectory.resolve("known_hosts"), "").toString());

        try (StorageFileSystem fileSystem = create(properties)) {
            assertFailsWith(StorageErrorKind.ACCESS_DENIED, () -> fileSystem.stat(root.resolve("file.bin")));
        }
    }

    @Test
    void checksTheHostKeyFingerprint() throws Exception {
        Map<String, String> properties = server.properties();
        properties.remove("known-hosts-file");
        properties.put("host-key-fingerprint", server.hostKeyFingerprint());
        try (StorageFileSystem fileSystem = create(properties)) {
            assertRoundTrip(fileSystem, root.resolve("fingerprint.bin"));
        }

        properties.put("host-key-fingerprint", KeyUtils.getFingerPrint(SftpServer.generateKeyPair().getPublic()));
        try (StorageFileSystem fileSystem = create(properties)) {
            assertFailsWith(StorageErrorKind.ACCESS_DENIED, () -> fileSystem.stat(root.resolve("fingerprint.bin")));
        }
    }

    @Test
    void acceptsAnyHostKeyOnlyWhenStrictCheckingIsOff() throws IOException {
        Map<String, String> properties = server.properties();
        properties.remove("known-hosts-file");
        properties.put("strict-host-key-checking", "false");

        try (StorageFileSystem fileSystem = create(properties)) {
            assertRoundTrip(fileSystem, root.resolve("unchecked.bin"));
        }
    }

    @Test
    void refusesLocationsOutsideItsRoots() throws IOException {
        StorageProfile profile = new StorageProfile("confined", "sftp", List.of(root), Optional.empty(), Optional.empty(), server.properties());
        List<Location> outside = List.of(
                server.location("elsewhere/file.bin"),
                server.location(directoryName + "-other/file.bin"),
                Location.parse("sftp://%s:%d/%s/file.bin".formatted("localhost", server.port(), directoryName)),
                Location.parse("sftp://%s/%s/file.bin".formatted(server.host(), directoryName)),
                Location.parse("sftp://intruder@%s:%d/%s/file.bin".formatted(server.host(), server.port(), directoryName)),
                Location.parse("s3://bucket/%s/file.bin".formatted(directoryName)),
                Location.parse("/%s/file.bin".formatted(directoryName)));

        try (StorageFileSystem fileSystem = new SftpStorageBackend().create(profile)) {
            for (Location location : outside) {
                assertThatThrownBy(() -> fileSystem.stat(location))
                        .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.INVALID_LOCATION))
                        .hasMessage("'%s' is outside storage profile 'confined', which serves [%s]", location, root);
                assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.openRead(location, 0).close());
                assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.openWrite(location).close());
                assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.delete(location));
            }
            assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.list(server.location("")));
        }
        assertThat(namesIn(server.rootDirectory())).contains(directoryName).doesNotContain("elsewhere", directoryName + "-other");
    }

    @Test
    void writesThroughAHiddenTemporaryFileRenamedOnClose() throws IOException {
        try (StorageFileSystem fileSystem = create(server.properties())) {
            try (OutputStream stream = fileSystem.openWrite(root.resolve("dir/file.bin"))) {
                stream.write("content".getBytes(UTF_8));
                stream.flush();

                assertThat(namesIn(rootOnDisk.resolve("dir"))).singleElement().asString().startsWith(".file.bin.roam-partial-");
            }
        }
        assertThat(namesIn(rootOnDisk.resolve("dir"))).containsExactly("file.bin");
        assertThat(rootOnDisk.resolve("dir/file.bin")).hasContent("content");
    }

    @Test
    void anAbortedWriteRemovesItsTemporaryFile() throws IOException {
        try (StorageFileSystem fileSystem = create(server.properties())) {
            StorageOutputStream stream = fileSystem.openWrite(root.resolve("aborted.bin"));
            stream.write(new byte[100_000]);
            stream.abort();

            assertThatThrownBy(() -> stream.write(1)).isInstanceOf(IOException.class).hasMessageContaining("closed or failed");
        }
        assertThat(namesIn(rootOnDisk)).isEmpty();
    }

    /** SFTP version 3 without the posix-rename extension: the target is removed, then the temporary file renamed. */
    @Test
    void replacesFilesOnServersWithoutAnOverwritingRename() throws Exception {
        try (SftpServer versionThreeServer = SftpServer.start(temporaryDirectory.resolve("version-3"))) {
            versionThreeServer.configure(SftpModuleProperties.SFTP_VERSION, 3);
            versionThreeServer.configure(SftpModuleProperties.OPENSSH_EXTENSIONS, "fsync@openssh.com=1");
            Location file = versionThreeServer.location("file.bin");

            try (StorageFileSystem fileSystem = new SftpStorageBackend().create(versionThreeServer.profile("version-3"))) {
                assertRoundTrip(fileSystem, file);
                try (OutputStream stream = fileSystem.openWrite(file)) {
                    stream.write("replaced".getBytes(UTF_8));
                }
                try (InputStream stream = fileSystem.openRead(file, 0)) {
                    assertThat(stream.readAllBytes()).asString(UTF_8).isEqualTo("replaced");
                }
            }
            assertThat(namesIn(versionThreeServer.rootDirectory())).containsExactly("file.bin");
        }
    }

    @Test
    void aFailedRenameLeavesTheTargetAndNoTemporaryFile() throws IOException {
        Files.createDirectories(rootOnDisk.resolve("occupied"));
        Files.writeString(rootOnDisk.resolve("occupied/child.txt"), "kept");

        try (StorageFileSystem fileSystem = create(server.properties())) {
            OutputStream stream = fileSystem.openWrite(root.resolve("occupied"));
            stream.write("content".getBytes(UTF_8));

            assertThatThrownBy(stream::close).isInstanceOf(IOException.class).hasMessageStartingWith("cannot write '%s'", root.resolve("occupied"));
            stream.close();
            // The channel went back to the pool in working order.
            assertRoundTrip(fileSystem, root.resolve("after-failure.bin"));
        }
        assertThat(namesIn(rootOnDisk)).containsExactlyInAnyOrder("occupied", "after-failure.bin");
        assertThat(rootOnDisk.resolve("occupied/child.txt")).hasContent("kept");
    }

    @Test
    void aFileInTheWayOfAParentDirectoryFailsTheWrite() throws IOException {
        Files.writeString(rootOnDisk.resolve("file"), "x");

        try (StorageFileSystem fileSystem = create(server.properties())) {
            assertThatThrownBy(() -> fileSystem.openWrite(root.resolve("file/nested/child.bin")))
                    .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.FATAL))
                    .hasMessage("cannot write '%s': '/%s/file' on the server is a file, not a directory", root.resolve("file/nested/child.bin"), directoryName);
        }
    }

    @Test
    void listSkipsTemporaryFilesButNotOtherHiddenFiles() throws IOException {
        Files.writeString(rootOnDisk.resolve(".model.bin.roam-partial-0123456789abcdef"), "left by a crash");
        Files.writeString(rootOnDisk.resolve(".hidden"), "a real file");

        try (StorageFileSystem fileSystem = create(server.properties())) {
            try (OutputStream stream = fileSystem.openWrite(root.resolve("model.bin"))) {
                stream.write(1);
                stream.flush();

                assertThat(relativePaths(fileSystem, root)).containsExactly(".hidden");
            }
            assertThat(relativePaths(fileSystem, root)).containsExactlyInAnyOrder(".hidden", "model.bin");
            assertThatThrownBy(() -> fileSystem.openWrite(root.resolve(".model.bin.roam-partial-1")))
                    .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.INVALID_LOCATION))
                    .hasMessageContaining("names containing '.roam-partial-' are reserved");
        }
    }

    /** More entries than the server returns in one READDIR reply. */
    @Test
    void listsADirectoryOfManyFiles() throws IOException {
        List<String> names = IntStream.range(0, 1500).mapToObj("file-%04d.bin"::formatted).toList();
        for (String name : names) {
            Files.writeString(rootOnDisk.resolve(name), name);
        }

        try (StorageFileSystem fileSystem = create(server.properties())) {
            List<FileEntry> entries = list(fileSystem, root);

            assertThat(entries).extracting(entry -> entry.location().fileName()).containsExactlyInAnyOrderElementsOf(names);
            assertThat(entries).allSatisfy(entry -> assertThat(entry.size()).isEqualTo(13));
        }
    }

    @Test
    void listsLinksToFilesWithTheTargetsSizeAndDoesNotFollowLinksToDirectories() throws IOException {
        Files.createDirectories(rootOnDisk.resolve("blobs"));
        Files.writeString(rootOnDisk.resolve("blobs/0a1b2c"), "weights");
        Files.createDirectories(rootOnDisk.resolve("snapshots"));
        Files.createSymbolicLink(rootOnDisk.resolve("snapshots/model.bin"), Path.of("../blobs/0a1b2c"));
        Files.createSymbolicLink(rootOnDisk.resolve("snapshots/blobs"), Path.of("../blobs"));
        Files.createSymbolicLink(rootOnDisk.resolve("snapshots/dangling.bin"), Path.of("../blobs/missing"));

        try (StorageFileSystem fileSystem = create(server.properties())) {
            assertThat(list(fileSystem, root))
                    .extracting(entry -> root.relativePathOf(entry.location()), FileEntry::size)
                    .containsExactlyInAnyOrder(
                            tuple("blobs/0a1b2c", 7L),
                            tuple("snapshots/model.bin", 7L));
        }
    }

    @Test
    void removesTheDirectoriesADeletionLeftEmptyAndKeepsTheRootAndThoseThatHoldAFile() throws IOException {
        Files.createDirectories(rootOnDisk.resolve("run-7/checkpoint-100/shards/empty"));
        Files.createDirectories(rootOnDisk.resolve("run-7/checkpoint-100/kept"));
        write(rootOnDisk.resolve("run-7/checkpoint-100/kept/late.bin"), 10);
        Files.createDirectories(rootOnDisk.resolve("run-7/checkpoint-200"));
        Files.createDirectories(rootOnDisk.resolve("empty"));

        try (SftpFileSystem fileSystem = (SftpFileSystem) create(server.properties())) {
            fileSystem.removeEmptyDirectories(root.resolve("run-7/checkpoint-100/"));

            assertThat(rootOnDisk.resolve("run-7/checkpoint-100/shards")).doesNotExist();
            assertThat(rootOnDisk.resolve("run-7/checkpoint-100/kept/late.bin")).exists();
            assertThat(rootOnDisk.resolve("run-7/checkpoint-200")).isDirectory();

            Files.delete(rootOnDisk.resolve("run-7/checkpoint-100/kept/late.bin"));
            fileSystem.removeEmptyDirectories(root.resolve("run-7/checkpoint-100/"));
            fileSystem.removeEmptyDirectories(root.resolve("run-7/checkpoint-100/"));
            assertThat(rootOnDisk.resolve("run-7/checkpoint-100")).doesNotExist();

        }
        StorageProfile rootedHere = new StorageProfile("rooted-here", "sftp", List.of(root), Optional.empty(), Optional.empty(), server.properties());
        try (SftpFileSystem fileSystem = (SftpFileSystem) new SftpStorageBackend(name -> null).create(rootedHere)) {
            fileSystem.removeEmptyDirectories(root);

            assertThat(rootOnDisk).as("the profile's root").isDirectory();
            assertThat(namesIn(rootOnDisk)).isEmpty();
        }
    }

    @Test
    void deleteLeavesADirectoryOfThatNameAndListOfAFileIsEmpty() throws IOException {
        Files.createDirectories(rootOnDisk.resolve("empty-directory"));
        Files.writeString(rootOnDisk.resolve("file.txt"), "x");

        try (StorageFileSystem fileSystem = create(server.properties())) {
            fileSystem.delete(root.resolve("empty-directory"));
            assertThat(relativePaths(fileSystem, root.resolve("file.txt/"))).isEmpty();
        }
        assertThat(rootOnDisk.resolve("empty-directory")).isDirectory();
    }

    /** SFTP is request and answer: Nagle's algorithm would hold a request back until the previous packet is acknowledged. */
    @Test
    void sendsItsRequestsWithoutNaglesDelay() throws IOException {
        write(rootOnDisk.resolve("small.bin"), 1000);

        try (SftpFileSystem fileSystem = (SftpFileSystem) create(server.properties())) {
            assertThat(fileSystem.stat(root.resolve("small.bin"))).isPresent();

            assertThat(fileSystem.openSessions(root)).isNotEmpty().allSatisfy(session ->
                    assertThat(((Nio2Session) session.getIoSession()).getSocket().getOption(StandardSocketOptions.TCP_NODELAY)).isTrue());
        }
    }

    /**
     * Apache MINA's server answers a read with at most 63 KiB, and says so (limits@openssh.com): asked for the
     * configured 64 KiB, it would answer every request short, and the client would fetch each missing KiB with
     * a request of its own, waiting for it before going on.
     */
    @Test
    void readsInRequestsTheServerAnswersWholeWhenItSaysItsLimit() throws IOException {
        int size = 1024 * 1024;
        int serverMaximumRead = 63 * 1024;
        write(rootOnDisk.resolve("limits.bin"), size);

        try (StorageFileSystem fileSystem = create(server.properties())) {
            long requestsBefore = server.readRequests();
            try (InputStream stream = fileSystem.openRead(root.resolve("limits.bin"), 0)) {
                assertThat(stream.readAllBytes()).isEqualTo(new TestContent(7, size).bytes());
            }

            int wholeRequests = (size + serverMaximumRead - 1) / serverMaximumRead;
            assertThat(server.readRequests() - requestsBefore).as("read requests the server answered").isBetween((long) wholeRequests,
                    wholeRequests + 1L);
        }
    }

    @Test
    void reusesItsSessionsAndBoundsTheirNumber() throws IOException {
        Map<String, String> properties = server.properties();
        properties.put("max-sessions", "2");
        write(rootOnDisk.resolve("shared.bin"), 300_000);

        try (SftpFileSystem fileSystem = (SftpFileSystem) create(properties)) {
            for (int index = 0; index < 20; index++) {
                assertThat(fileSystem.stat(root.resolve("shared.bin"))).isPresent();
            }
            assertThat(fileSystem.openSessions(root)).hasSize(1);

            List<InputStream> streams = new ArrayList<>();
            for (int index = 0; index < 6; index++) {
                streams.add(fileSystem.openRead(root.resolve("shared.bin"), index));
            }
            assertThat(fileSystem.openSessions(root)).hasSize(2);
            for (int index = 0; index < streams.size(); index++) {
                try (InputStream stream = streams.get(index)) {
                    assertThat(stream.readAllBytes()).hasSize(300_000 - index);
                }
            }
        }
    }

    @Test
    void anOperationThatFindsEveryChannelBusyWaitsThenFailsAsTransient() throws IOException {
        Map<String, String> properties = server.properties();
        properties.put("max-sessions", "1");
        properties.put("max-channels-per-session", "1");
        properties.put("channel-wait-timeout", "200ms");
        Location file = root.resolve("busy.bin");

        try (StorageFileSystem fileSystem = create(properties)) {
            try (OutputStream stream = fileSystem.openWrite(file)) {
                stream.write(1);

                assertThatThrownBy(() -> fileSystem.stat(file))
                        .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.TRANSIENT))
                        .hasMessage("cannot stat '%s': all 1 SFTP channels to roam@127.0.0.1:%d stayed busy for PT0.2S", file, server.port());
            }
            assertThat(fileSystem.stat(file)).hasValueSatisfying(entry -> assertThat(entry.size()).isEqualTo(1));
        }
    }

    @Test
    void reconnectsAfterTheServerDropsItsSessions() throws IOException {
        write(rootOnDisk.resolve("file.bin"), 10);
        try (SftpFileSystem fileSystem = (SftpFileSystem) create(server.properties())) {
            assertThat(fileSystem.stat(root.resolve("file.bin"))).isPresent();

            server.disconnectClients();
            await().atMost(Duration.ofSeconds(10)).until(() -> fileSystem.openSessions(root).isEmpty());

            assertThat(fileSystem.stat(root.resolve("file.bin"))).isPresent();
        }
    }

    @Test
    void aConnectionLostWhileReadingIsTransient() throws IOException {
        write(rootOnDisk.resolve("large.bin"), 8 * 1024 * 1024);
        try (StorageFileSystem fileSystem = create(server.properties())) {
            InputStream stream = fileSystem.openRead(root.resolve("large.bin"), 0);
            assertThat(stream.readNBytes(1000)).hasSize(1000);

            server.disconnectClients();

            assertThatThrownBy(stream::readAllBytes)
                    .isInstanceOf(IOException.class)
                    .satisfies(failure -> assertThat(StorageErrors.classify(failure).kind()).isEqualTo(StorageErrorKind.TRANSIENT));
            closeQuietly(stream);
            assertThat(fileSystem.stat(root.resolve("large.bin"))).isPresent();
        }
    }

    @Test
    void closeFailsOpenStreamsAndLaterOperations() throws IOException {
        StorageFileSystem fileSystem = create(server.properties());
        Location file = root.resolve("file.bin");
        OutputStream stream = fileSystem.openWrite(file);
        stream.write(new byte[1000]);

        fileSystem.close();

        assertThatThrownBy(() -> {
            stream.write(new byte[1_000_000]);
            stream.close();
        }).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> fileSystem.stat(file))
                .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.FATAL))
                .hasMessage("cannot stat '%s': the file system is closed", file);
        assertThat(rootOnDisk.resolve("file.bin")).doesNotExist();
    }

    @Test
    void refusesProfilesItCannotServe() {
        StorageProfile localRoot = new StorageProfile("local-root", "sftp", List.of(Location.parse("/data/")), Optional.empty(), Optional.empty(), server.properties());
        Map<String, String> withoutUsername = server.properties();
        withoutUsername.remove("username");

        assertThatThrownBy(() -> new SftpStorageBackend().create(localRoot))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("storage profile 'local-root' uses the sftp backend, but its root '/data/' is not an sftp:// location");
        assertThatThrownBy(() -> create(withoutUsername))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("storage profile 'test': root '%s' names no user and property 'username' is not set", server.location(""));
    }

    @Test
    void isFoundByTheServiceLoader() {
        try (StorageRouter router = new StorageRouter(List.of(server.profile("sftp-routed")))) {
            assertThat(router.fileSystem(root.resolve("file.bin"))).isInstanceOf(SftpFileSystem.class);
        }
    }

    private StorageFileSystem create(Map<String, String> properties) {
        return create(properties, Map.of());
    }

    private StorageFileSystem create(Map<String, String> properties, Map<String, String> environment) {
        return new SftpStorageBackend(environment::get).create(server.profile("test", properties));
    }

    private static List<FileEntry> list(StorageFileSystem fileSystem, Location directory) {
        List<FileEntry> entries = new ArrayList<>();
        FileIterator iterator = fileSystem.list(directory);
        while (iterator.hasNext()) {
            entries.add(iterator.next());
        }
        return entries;
    }

    private List<String> relativePaths(StorageFileSystem fileSystem, Location directory) {
        return list(fileSystem, directory).stream().map(entry -> root.relativePathOf(entry.location())).toList();
    }

    private static List<String> namesIn(Path directory) throws IOException {
        try (Stream<Path> children = Files.list(directory)) {
            return children.map(child -> child.getFileName().toString()).toList();
        }
    }

    private static void write(Path file, long size) throws IOException {
        try (InputStream source = new TestContent(7, size).newInputStream()) {
            Files.copy(source, file);
        }
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        }
        catch (IOException expected) {
            // The connection is gone: closing the stream only releases its channel.
        }
    }

    private static void assertRoundTrip(StorageFileSystem fileSystem, Location file) throws IOException {
        TestContent content = new TestContent(file.toString().length(), 100_000);
        try (InputStream source = content.newInputStream(); OutputStream stream = fileSystem.openWrite(file)) {
            source.transferTo(stream);
        }
        try (InputStream stream = fileSystem.openRead(file, 0)) {
            assertThat(stream.readAllBytes()).isEqualTo(content.bytes());
        }
    }
}
