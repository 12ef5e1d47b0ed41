package io.roam.storage.hdfs;

import static io.roam.storage.testing.AbstractStorageFileSystemContractTest.assertFailsWith;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roam.storage.EmptyDirectoryRemoval;
import io.roam.storage.FileEntry;
import io.roam.storage.FileIterator;
import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageErrors;
import io.roam.storage.StorageException;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageOutputStream;
import io.roam.storage.hdfs.testing.HdfsServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.SafeModeAction;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What HDFS adds to the contract: temporary files, users and permissions, name node states, configuration. */
class HdfsFileSystemTest {

    @TempDir
    static Path workDirectory;

    private static HdfsServer server;
    private static StorageFileSystem fileSystem;
    private static StorageFileSystem otherUsersFileSystem;

    @TempDir
    Path temporaryDirectory;

    private Location root;

    @BeforeAll
    static void startServer() {
        server = HdfsServer.start(workDirectory);
        fileSystem = new HdfsStorageBackend().create(server.profile("owner", Map.of()));
        otherUsersFileSystem = new HdfsStorageBackend().create(server.profile("other", Map.of("user", HdfsServer.OTHER_USER)));
    }

    @AfterAll
    static void stopServer() {
        for (AutoCloseable closeable : new AutoCloseable[] {fileSystem, otherUsersFileSystem, server}) {
            if (closeable != null) {
                try {
                    closeable.close();
                }
                catch (Exception exception) {
                    throw new AssertionError("cannot close " + closeable, exception);
                }
            }
        }
    }

    @BeforeEach
    void createRoot() {
        root = server.rootLocation().resolve("test-" + UUID.randomUUID() + "/");
    }

    @Test
    void writesThroughAHiddenTemporaryFileRenamedOnClose() throws IOException {
        Location file = root.resolve("dir/file.bin");

        try (OutputStream stream = fileSystem.openWrite(file)) {
            stream.write("content".getBytes(UTF_8));
            stream.flush();

            assertThat(namesIn(root.resolve("dir/"))).singleElement().asString().startsWith(".file.bin.roam-partial-");
        }

        assertThat(namesIn(root.resolve("dir/"))).containsExactly("file.bin");
        assertThat(read(file)).isEqualTo("content");
    }

    @Test
    void abortDeletesTheTemporaryFile() throws IOException {
        Location file = root.resolve("dir/file.bin");
        StorageOutputStream stream = fileSystem.openWrite(file);
        stream.write(new byte[100_000]);

        stream.abort();

        assertThat(namesIn(root.resolve("dir/"))).isEmpty();
        assertThatThrownBy(() -> stream.write(1)).isInstanceOf(IOException.class);
    }

    @Test
    void removesTheDirectoriesADeletionLeftEmptyAndKeepsTheRootAndThoseThatHoldAFile() throws IOException {
        // Written and deleted by the profile's user, whose directories they then are.
        for (String deleted : List.of("run-7/checkpoint-100/shards/empty/0.bin", "run-7/checkpoint-200/0.bin")) {
            write(root.resolve(deleted), "deleted");
            fileSystem.delete(root.resolve(deleted));
        }
        write(root.resolve("run-7/checkpoint-100/kept/late.bin"), "written meanwhile");
        EmptyDirectoryRemoval directories = (EmptyDirectoryRemoval) fileSystem;

        directories.removeEmptyDirectories(root.resolve("run-7/checkpoint-100/"));

        assertThat(namesIn(root.resolve("run-7/checkpoint-100/"))).containsExactly("kept");
        assertThat(namesIn(root.resolve("run-7/"))).containsExactlyInAnyOrder("checkpoint-100", "checkpoint-200");

        fileSystem.delete(root.resolve("run-7/checkpoint-100/kept/late.bin"));
        directories.removeEmptyDirectories(root.resolve("run-7/checkpoint-100/"));
        directories.removeEmptyDirectories(root.resolve("run-7/checkpoint-100/"));

        assertThat(namesIn(root.resolve("run-7/"))).containsExactly("checkpoint-200");
        try (StorageFileSystem rootedHere = new HdfsStorageBackend().create(server.profile("rooted-here", List.of(root), Map.of()))) {
            ((EmptyDirectoryRemoval) rootedHere).removeEmptyDirectories(root);
        }
        assertThat(namesIn(root)).as("the profile's root, kept empty").isEmpty();
    }

    @Test
    void listingSkipsTemporaryFilesLeftByAWriterThatDied() throws IOException {
        write(root.resolve("kept.bin"), "kept");
        administrator().create(path(root.resolve(".lost.bin.roam-partial-0123456789abcdef"))).close();

        assertThat(listRelativePaths(root)).containsExactly("kept.bin");
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.openWrite(root.resolve(".name.roam-partial-1")));
    }

    @Test
    void theOwnersPrivateFileIsAccessDeniedToAnotherUser() throws IOException {
        Location file = root.resolve("private.bin");
        write(file, "private");
        administrator().setPermission(path(file), new FsPermission((short) 0600));
        administrator().setPermission(path(root), new FsPermission((short) 0755));

        assertThatThrownBy(() -> otherUsersFileSystem.openRead(file, 0).close())
                .isInstanceOfSatisfying(StorageException.class, exception -> {
                    assertThat(exception.kind()).isEqualTo(StorageErrorKind.ACCESS_DENIED);
                    assertThat(exception.getMessage()).startsWith("cannot read '%s': AccessControlException: Permission denied: user=%s".formatted(file, HdfsServer.OTHER_USER));
                });
        assertFailsWith(StorageErrorKind.ACCESS_DENIED, () -> otherUsersFileSystem.openWrite(root.resolve("intrusion.bin")));
        assertFailsWith(StorageErrorKind.ACCESS_DENIED, () -> otherUsersFileSystem.delete(file));
        // Its size and modification time are visible to whoever may traverse the directory, as in POSIX.
        assertThat(otherUsersFileSystem.stat(file)).hasValueSatisfying(entry -> assertThat(entry.size()).isEqualTo(7));
        assertThat(read(file)).isEqualTo("private");
    }

    @Test
    void aPrivateDirectoryCannotBeListedByAnotherUser() throws IOException {
        write(root.resolve("private/file.bin"), "private");
        administrator().setPermission(path(root.resolve("private/")), new FsPermission((short) 0700));

        FileIterator iterator = otherUsersFileSystem.list(root);

        assertFailsWith(StorageErrorKind.ACCESS_DENIED, iterator::hasNext);
    }

    @Test
    void refusesLocationsOutsideTheProfile() {
        String nameNode = server.uri();
        for (String location : List.of(
                nameNode + "/elsewhere/file.bin",
                nameNode + "/roam-other/file.bin",
                "hdfs://localhost:" + nameNode.substring(nameNode.lastIndexOf(':') + 1) + "/roam/file.bin",
                "hdfs://other-namenode:8020/roam/file.bin",
                "s3://roam/file.bin")) {
            assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.stat(Location.parse(location)));
            assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.openWrite(Location.parse(location)));
        }
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.list(Location.parse(nameNode + "/")));
    }

    @Test
    void refusesNamesHdfsCannotStore() {
        Location colon = root.resolve("run:42/file.bin");

        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.openWrite(colon));
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.stat(colon));
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.openRead(colon, 0));
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.delete(colon));
    }

    @Test
    void nothingExistsBeneathAFile() throws IOException {
        write(root.resolve("file.bin"), "content");
        Location beneath = root.resolve("file.bin/nested.bin");

        assertThat(fileSystem.stat(beneath)).isEmpty();
        assertFailsWith(StorageErrorKind.NOT_FOUND, () -> fileSystem.openRead(beneath, 0).close());
        assertThat(listRelativePaths(root.resolve("file.bin/"))).isEmpty();
        fileSystem.delete(beneath);
        assertThat(read(root.resolve("file.bin"))).isEqualTo("content");
    }

    @Test
    void writingOverADirectoryFailsAndLeavesTheDirectory() throws IOException {
        write(root.resolve("directory/file.bin"), "content");
        StorageOutputStream stream = fileSystem.openWrite(root.resolve("directory"));
        stream.write("replacement".getBytes(UTF_8));

        assertThatThrownBy(stream::close)
                .isInstanceOf(IOException.class)
                .satisfies(failure -> assertThat(StorageErrors.classify(failure).kind()).isEqualTo(StorageErrorKind.FATAL))
                .hasMessageContaining("a directory exists at '%s'".formatted(root.resolve("directory")));
        assertThat(listRelativePaths(root)).containsExactly("directory/file.bin");
        assertThat(namesIn(root)).containsExactly("directory");
    }

    @Test
    void readingFromBeyondTheEndReturnsNothing() throws IOException {
        Location file = root.resolve("short.bin");
        write(file, "short");

        try (InputStream stream = fileSystem.openRead(file, 100)) {
            assertThat(stream.readAllBytes()).isEmpty();
        }
    }

    @Test
    void aNameNodeInSafeModeIsTransient() throws IOException {
        Location file = root.resolve("file.bin");
        write(file, "content");
        DistributedFileSystem administrator = (DistributedFileSystem) administrator();
        administrator.setSafeMode(SafeModeAction.ENTER);
        try {
            assertFailsWith(StorageErrorKind.TRANSIENT, () -> fileSystem.openWrite(root.resolve("during-safe-mode.bin")));
            assertFailsWith(StorageErrorKind.TRANSIENT, () -> fileSystem.delete(file));
            assertThat(read(file)).isEqualTo("content");
        }
        finally {
            administrator.setSafeMode(SafeModeAction.LEAVE);
        }
    }

    @Test
    void anUnreachableNameNodeIsTransient() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Location unreachable = Location.parse("hdfs://127.0.0.1:%d/roam/".formatted(closedPort));
        try (StorageFileSystem unreachableFileSystem = new HdfsStorageBackend().create(server.profile("unreachable", List.of(unreachable),
                Map.of("hadoop.ipc.client.connect.max.retries", "0")))) {
            assertFailsWith(StorageErrorKind.TRANSIENT, () -> unreachableFileSystem.stat(unreachable.resolve("file.bin")));
        }
    }

    @Test
    void reachesAnHaNameServiceDefinedInTheConfigurationDirectory() throws IOException {
        server.writeNameServiceConfiguration(temporaryDirectory, "roamcluster");
        Location nameServiceRoot = Location.parse("hdfs://roamcluster" + HdfsServer.ROOT_DIRECTORY);
        Location file = nameServiceRoot.resolve(server.rootLocation().relativePathOf(root) + "through-name-service.bin");

        try (StorageFileSystem nameServiceFileSystem = new HdfsStorageBackend().create(server.profile("ha", List.of(nameServiceRoot),
                Map.of("configuration-directory", temporaryDirectory.toString())))) {
            try (OutputStream stream = nameServiceFileSystem.openWrite(file)) {
                stream.write("content".getBytes(UTF_8));
            }

            assertThat(nameServiceFileSystem.stat(file)).hasValueSatisfying(entry -> assertThat(entry.size()).isEqualTo(7));
        }
        assertThat(read(root.resolve("through-name-service.bin"))).isEqualTo("content");
    }

    @Test
    void entriesCarryNoNativeChecksum() {
        Location file = root.resolve("file.bin");
        write(file, "content");

        assertThat(fileSystem.stat(file)).hasValueSatisfying(entry -> assertThat(entry.nativeChecksum()).isEmpty());
        assertThat(list(root)).singleElement().satisfies(entry -> assertThat(entry.nativeChecksum()).isEmpty());
    }

    @Test
    void operationsAfterCloseFailAndOpenStreamsFail() throws IOException {
        StorageFileSystem closing = new HdfsStorageBackend().create(server.profile("closing", Map.of()));
        Location file = root.resolve("file.bin");
        StorageOutputStream stream = closing.openWrite(file);
        stream.write(1);

        closing.close();
        closing.close();

        assertThatThrownBy(stream::close).isInstanceOf(IOException.class);
        assertFailsWith(StorageErrorKind.FATAL, () -> closing.stat(file));
        assertThat(fileSystem.stat(file)).isEmpty();
    }

    private static FileSystem administrator() {
        return server.administrator();
    }

    /** The HDFS path of a location, for the administrator; test names hold no character Hadoop's Path(String) would misread. */
    private static org.apache.hadoop.fs.Path path(Location location) {
        return new org.apache.hadoop.fs.Path(location.toString());
    }

    /** Every name in a directory, Roam's temporary files included, as the administrator sees them. */
    private static List<String> namesIn(Location directory) throws IOException {
        FileStatus[] statuses = administrator().listStatus(path(directory));
        return Arrays.stream(statuses).map(status -> status.getPath().getName()).toList();
    }

    private static void write(Location file, String content) {
        try (OutputStream stream = fileSystem.openWrite(file)) {
            stream.write(content.getBytes(UTF_8));
        }
        catch (IOException exception) {
            throw new AssertionError("cannot write " + file, exception);
        }
    }

    private static String read(Location file) throws IOException {
        try (InputStream stream = fileSystem.openRead(file, 0)) {
            return new String(stream.readAllBytes(), UTF_8);
        }
    }

    private static List<FileEntry> list(Location directory) {
        List<FileEntry> entries = new ArrayList<>();
        FileIterator iterator = fileSystem.list(directory);
        while (iterator.hasNext()) {
            entries.add(iterator.next());
        }
        return entries;
    }

    private List<String> listRelativePaths(Location directory) {
        return list(directory).stream().map(entry -> root.relativePathOf(entry.location())).toList();
    }
}
