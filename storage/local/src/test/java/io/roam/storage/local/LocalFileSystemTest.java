package io.roam.storage.local;

import static io.roam.storage.testing.AbstractStorageFileSystemContractTest.assertFailsWith;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roam.storage.EmptyDirectoryRemoval;
import io.roam.storage.FileEntry;
import io.roam.storage.FileIterator;
import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageOutputStream;
import io.roam.storage.StorageProfile;
import io.roam.storage.StorageRouter;
import io.roam.storage.testing.TestContent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LocalFileSystemTest {

    @TempDir
    Path temporaryDirectory;

    private Path rootPath;
    private Path outsidePath;
    private Location root;
    private StorageFileSystem fileSystem;

    @BeforeEach
    void createFileSystem() throws IOException {
        rootPath = Files.createDirectory(temporaryDirectory.resolve("root"));
        outsidePath = Files.createDirectory(temporaryDirectory.resolve("outside"));
        Files.writeString(outsidePath.resolve("secret.txt"), "secret");
        root = Location.parse(rootPath + "/");
        fileSystem = new LocalStorageBackend().create(profile(root));
    }

    @AfterEach
    void closeFileSystem() {
        fileSystem.close();
    }

    @Test
    void writesThroughAHiddenTemporaryFileRenamedOnClose() throws IOException {
        Location file = root.resolve("dir/file.bin");

        try (OutputStream stream = fileSystem.openWrite(file)) {
            stream.write("content".getBytes(UTF_8));
            stream.flush();

            assertThat(namesIn(rootPath.resolve("dir"))).singleElement().asString().startsWith(".file.bin.roam-partial-");
        }

        assertThat(namesIn(rootPath.resolve("dir"))).containsExactly("file.bin");
        assertThat(Files.readString(rootPath.resolve("dir/file.bin"))).isEqualTo("content");
    }

    @Test
    void aFileSyncedInTheBackgroundWhileWrittenArrivesWhole() throws IOException {
        Location file = root.resolve("checkpoint.bin");
        TestContent content = new TestContent(7, 3 * AtomicFileOutputStream.BACKGROUND_SYNC_INTERVAL + 5);

        try (OutputStream stream = fileSystem.openWrite(file)) {
            content.newInputStream().transferTo(stream);
        }

        try (InputStream stream = fileSystem.openRead(file, 0)) {
            assertThat(TestContent.sha256Of(stream)).isEqualTo(content.sha256());
        }
        assertThat(namesIn(rootPath)).containsExactly("checkpoint.bin");
    }

    @Test
    void anAbortAfterBackgroundSyncsLeavesTheTargetAsItWasAndNoTemporaryFile() throws IOException {
        Files.writeString(rootPath.resolve("checkpoint.bin"), "previous");
        StorageOutputStream stream = fileSystem.openWrite(root.resolve("checkpoint.bin"));
        new TestContent(8, 2 * AtomicFileOutputStream.BACKGROUND_SYNC_INTERVAL + 1).newInputStream().transferTo(stream);

        stream.abort();

        assertThat(namesIn(rootPath)).containsExactly("checkpoint.bin");
        assertThat(Files.readString(rootPath.resolve("checkpoint.bin"))).isEqualTo("previous");
    }

    @Test
    void withSyncOffAFileIsStillPublishedWholeOnlyOnClose() throws IOException {
        Location file = root.resolve("dataset/shard-0.bin");
        TestContent content = new TestContent(9, 2 * AtomicFileOutputStream.BACKGROUND_SYNC_INTERVAL + 3);
        StorageFileSystem scratch = new LocalStorageBackend().create(profile(root, Map.of("sync", "false")));

        try (OutputStream stream = scratch.openWrite(file)) {
            content.newInputStream().transferTo(stream);

            assertThat(namesIn(rootPath.resolve("dataset"))).singleElement().asString().startsWith(".shard-0.bin.roam-partial-");
        }

        try (InputStream stream = scratch.openRead(file, 0)) {
            assertThat(TestContent.sha256Of(stream)).isEqualTo(content.sha256());
        }
        assertThat(namesIn(rootPath.resolve("dataset"))).containsExactly("shard-0.bin");
    }

    @Test
    void refusesASyncThatIsNeitherTrueNorFalse() {
        StorageProfile profile = profile(root, Map.of("sync", "sometimes"));

        assertThatThrownBy(() -> new LocalStorageBackend().create(profile))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("roam.storage.profiles.test.properties.sync: must be true or false, not 'sometimes'");
    }

    @Test
    void refusesPropertiesOfOtherBackendsOrMisspelled() {
        StorageProfile profile = profile(root, Map.of("synch", "false"));

        assertThatThrownBy(() -> new LocalStorageBackend().create(profile))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("roam.storage.profiles.test.properties.synch: is not a property of the local backend; known: sync");
    }

    @Test
    void keepsTemporaryNamesShortForLongFileNames() throws IOException {
        String longName = "模".repeat(80) + ".bin";
        Location file = root.resolve(longName);

        try (OutputStream stream = fileSystem.openWrite(file)) {
            stream.write(1);
        }

        assertThat(namesIn(rootPath)).containsExactly(longName);
    }

    @Test
    void aWriteWhereADirectoryIsFailsUpFrontAndForGood() throws IOException {
        Files.createDirectories(rootPath.resolve("checkpoint-100"));

        assertThatThrownBy(() -> fileSystem.openWrite(root.resolve("checkpoint-100")))
                .isInstanceOfSatisfying(StorageException.class, exception -> {
                    assertThat(exception.kind()).isEqualTo(StorageErrorKind.INVALID_LOCATION);
                    assertThat(exception.retryable()).isFalse();
                })
                .hasMessage("cannot write '%s': a directory is there (a location naming a directory ends with '/')", root.resolve("checkpoint-100"));
        assertThat(namesIn(rootPath)).containsExactly("checkpoint-100");
    }

    @ParameterizedTest
    @ValueSource(strings = {"checkpoint-100/shard-0.bin", "checkpoint-100/optimizer/shard-0.bin"})
    void aWriteBeneathAFileFailsUpFrontAndForGood(String beneathTheFile) throws IOException {
        Files.writeString(rootPath.resolve("checkpoint-100"), "a file");

        assertThatThrownBy(() -> fileSystem.openWrite(root.resolve(beneathTheFile)))
                .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.retryable()).isFalse())
                .hasMessage("cannot write '%s': '%s' is a file, not a directory", root.resolve(beneathTheFile), rootPath.resolve("checkpoint-100"));
        assertThat(rootPath.resolve("checkpoint-100")).hasContent("a file");
        assertThat(namesIn(rootPath)).containsExactly("checkpoint-100");
    }

    @Test
    void failedCloseRemovesTheTemporaryFileAndLeavesTheTarget() throws IOException {
        OutputStream stream = fileSystem.openWrite(root.resolve("occupied"));
        stream.write("content".getBytes(UTF_8));
        // A directory appears at the name while the file is written: the rename onto it fails.
        Path occupied = Files.createDirectories(rootPath.resolve("occupied"));
        Files.writeString(occupied.resolve("child.txt"), "kept");

        assertThatThrownBy(stream::close).isInstanceOf(IOException.class);
        assertThat(namesIn(rootPath)).containsExactly("occupied");
        assertThat(Files.readString(occupied.resolve("child.txt"))).isEqualTo("kept");
        stream.close();
        assertThatThrownBy(() -> stream.write(1)).isInstanceOf(IOException.class).hasMessageContaining("closed or failed");
    }

    @Test
    void listSkipsTemporaryFilesOfWritesInProgressOrAbandoned() throws IOException {
        Files.writeString(rootPath.resolve(".model.bin.roam-partial-0123456789abcdef"), "left by a crash");
        Files.writeString(rootPath.resolve(".hidden"), "a real file");

        try (OutputStream stream = fileSystem.openWrite(root.resolve("model.bin"))) {
            stream.write(1);
            stream.flush();

            assertThat(relativePaths(root)).containsExactly(".hidden");
        }
        assertThat(relativePaths(root)).containsExactlyInAnyOrder(".hidden", "model.bin");
    }

    @Test
    void refusesToWriteNamesReservedForTemporaryFiles() {
        assertThatThrownBy(() -> fileSystem.openWrite(root.resolve(".model.bin.roam-partial-1")))
                .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.INVALID_LOCATION))
                .hasMessageContaining("names containing '.roam-partial-' are reserved");
    }

    @Test
    void refusesLocationsOutsideItsRoots() {
        Location sibling = Location.parse(outsidePath.resolve("secret.txt").toString());
        Location siblingWithSharedPrefix = Location.parse(rootPath + "-other/file.bin");
        Location otherScheme = Location.parse("s3://bucket/file.bin");

        for (Location outside : List.of(sibling, siblingWithSharedPrefix, otherScheme)) {
            assertThatThrownBy(() -> fileSystem.stat(outside))
                    .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.INVALID_LOCATION))
                    .hasMessage("'%s' is outside storage profile 'test', which serves [%s]", outside, root);
            assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.openRead(outside, 0).close());
            assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.openWrite(outside).close());
            assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.delete(outside));
        }
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.list(Location.parse(outsidePath + "/")));
        assertThat(Files.exists(Path.of(rootPath + "-other"))).isFalse();
        assertThat(outsidePath.resolve("secret.txt")).hasContent("secret");
    }

    @Test
    void refusesToFollowADirectoryLinkThatLeavesTheRoot() throws IOException {
        Files.createSymbolicLink(rootPath.resolve("escape"), outsidePath);
        Location secret = root.resolve("escape/secret.txt");

        assertThatThrownBy(() -> fileSystem.stat(secret))
                .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.INVALID_LOCATION))
                .hasMessage("'%s' leads outside its storage root through a symbolic link", secret);
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.openRead(secret, 0).close());
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.delete(secret));
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.openWrite(root.resolve("escape/planted.txt")).close());
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.openWrite(root.resolve("escape/new/deeper/planted.txt")).close());
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.list(root.resolve("escape/")));

        assertThat(namesIn(outsidePath)).containsExactly("secret.txt");
        assertThat(outsidePath.resolve("secret.txt")).hasContent("secret");
    }

    @Test
    void refusesToReadThroughAFileLinkThatLeavesTheRootAndFailsListingsThatMeetOne() throws IOException {
        Files.createSymbolicLink(rootPath.resolve("link.txt"), outsidePath.resolve("secret.txt"));
        Location link = root.resolve("link.txt");

        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.stat(link));
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.openRead(link, 0).close());
        FileIterator listing = fileSystem.list(root);
        assertThatThrownBy(listing::hasNext)
                .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.INVALID_LOCATION))
                .hasMessage("cannot list '%s': '%s' is a symbolic link that leads outside its storage root", root, link);
    }

    @Test
    void writingOrDeletingALinkActsOnTheLinkNotItsTarget() throws IOException {
        Path written = rootPath.resolve("written.txt");
        Path deleted = rootPath.resolve("deleted.txt");
        Files.createSymbolicLink(written, outsidePath.resolve("secret.txt"));
        Files.createSymbolicLink(deleted, outsidePath.resolve("secret.txt"));

        try (OutputStream stream = fileSystem.openWrite(root.resolve("written.txt"))) {
            stream.write("replaced".getBytes(UTF_8));
        }
        fileSystem.delete(root.resolve("deleted.txt"));

        assertThat(Files.isSymbolicLink(written)).isFalse();
        assertThat(written).hasContent("replaced");
        assertThat(Files.exists(deleted, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(outsidePath.resolve("secret.txt")).hasContent("secret");
    }

    /** The layout of a Hugging Face cache: snapshot files are relative links to shared blobs. */
    @Test
    void followsLinksThatStayUnderTheRoot() throws IOException {
        Files.createDirectories(rootPath.resolve("blobs"));
        Files.writeString(rootPath.resolve("blobs/0a1b2c"), "weights");
        Files.createDirectories(rootPath.resolve("snapshots/main"));
        Files.createSymbolicLink(rootPath.resolve("snapshots/main/model.bin"), Path.of("../../blobs/0a1b2c"));
        Files.createSymbolicLink(rootPath.resolve("snapshots/main/dangling.bin"), Path.of("../../blobs/missing"));
        Location model = root.resolve("snapshots/main/model.bin");

        assertThat(fileSystem.stat(model)).hasValueSatisfying(entry -> assertThat(entry.size()).isEqualTo(7));
        try (InputStream stream = fileSystem.openRead(model, 0)) {
            assertThat(stream.readAllBytes()).asString(UTF_8).isEqualTo("weights");
        }
        assertThat(relativePaths(root)).containsExactlyInAnyOrder("blobs/0a1b2c", "snapshots/main/model.bin");
    }

    @Test
    void servesARootThatIsItselfALink() throws IOException {
        Path linkedRoot = Files.createSymbolicLink(temporaryDirectory.resolve("linked-root"), rootPath);
        Location linkedRootLocation = Location.parse(linkedRoot + "/");
        try (StorageFileSystem linked = new LocalStorageBackend().create(profile(linkedRootLocation))) {
            try (OutputStream stream = linked.openWrite(linkedRootLocation.resolve("a/file.txt"))) {
                stream.write("content".getBytes(UTF_8));
            }

            assertThat(rootPath.resolve("a/file.txt")).hasContent("content");
            assertThat(linked.list(linkedRootLocation).next().location()).isEqualTo(linkedRootLocation.resolve("a/file.txt"));
        }
    }

    @Test
    void failsListingsThatMeetANameThatIsNotAValidLocation() throws IOException {
        Files.writeString(rootPath.resolve("query?.txt"), "x");

        FileIterator listing = fileSystem.list(root);

        assertThatThrownBy(listing::hasNext)
                .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.INVALID_LOCATION))
                .hasMessageStartingWith("cannot list '%s': a file under it has a name that is not a valid location: query ('?')", root);
    }

    @Test
    void deleteLeavesADirectoryOfThatName() throws IOException {
        Files.createDirectories(rootPath.resolve("empty-directory"));

        fileSystem.delete(root.resolve("empty-directory"));

        assertThat(rootPath.resolve("empty-directory")).isDirectory();
    }

    @Test
    void removesTheDirectoriesADeletionLeftEmptyAndKeepsThoseThatHoldAFile() throws IOException {
        Files.createDirectories(rootPath.resolve("run-7/checkpoint-100/shards/empty"));
        Files.createDirectories(rootPath.resolve("run-7/checkpoint-100/kept"));
        Files.writeString(rootPath.resolve("run-7/checkpoint-100/kept/late.bin"), "written meanwhile");
        Files.createDirectories(rootPath.resolve("run-7/checkpoint-200"));

        ((EmptyDirectoryRemoval) fileSystem).removeEmptyDirectories(root.resolve("run-7/checkpoint-100/"));

        assertThat(rootPath.resolve("run-7/checkpoint-100/shards")).doesNotExist();
        assertThat(rootPath.resolve("run-7/checkpoint-100/kept/late.bin")).hasContent("written meanwhile");
        assertThat(rootPath.resolve("run-7/checkpoint-200")).isDirectory();

        Files.delete(rootPath.resolve("run-7/checkpoint-100/kept/late.bin"));
        ((EmptyDirectoryRemoval) fileSystem).removeEmptyDirectories(root.resolve("run-7/checkpoint-100/"));
        ((EmptyDirectoryRemoval) fileSystem).removeEmptyDirectories(root.resolve("run-7/checkpoint-100/"));

        assertThat(rootPath.resolve("run-7/checkpoint-100")).doesNotExist();
        assertThat(namesIn(rootPath.resolve("run-7"))).containsExactly("checkpoint-200");
    }

    @Test
    void neverRemovesTheRootNorFollowsALinkOutOfTheTree() throws IOException {
        Path outsideDirectory = Files.createDirectories(outsidePath.resolve("elsewhere/empty"));
        Files.createSymbolicLink(rootPath.resolve("link"), outsideDirectory.getParent());
        Files.createDirectories(rootPath.resolve("empty"));

        ((EmptyDirectoryRemoval) fileSystem).removeEmptyDirectories(root);

        assertThat(namesIn(rootPath)).containsExactly("link");
        assertThat(outsideDirectory).isDirectory();

        Files.delete(rootPath.resolve("link"));
        ((EmptyDirectoryRemoval) fileSystem).removeEmptyDirectories(root);

        assertThat(rootPath).as("the profile's root, empty").isDirectory();
    }

    @Test
    void listOfAFileAsADirectoryIsEmpty() throws IOException {
        Files.writeString(rootPath.resolve("file.txt"), "x");

        assertThat(relativePaths(root.resolve("file.txt/"))).isEmpty();
    }

    @Test
    void refusesAProfileWithARootThatIsNotLocal() {
        StorageProfile profile = profile(Location.parse("s3://bucket/"));

        assertThatThrownBy(() -> new LocalStorageBackend().create(profile))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("storage profile 'test' uses the local backend, but its root 's3://bucket/' is not a local path");
    }

    @Test
    void isFoundByTheServiceLoader() {
        try (StorageRouter router = new StorageRouter(List.of(profile(root)))) {
            assertThat(router.fileSystem(root.resolve("file.bin"))).isInstanceOf(LocalFileSystem.class);
        }
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new NoSuchFileException("/x"), StorageErrorKind.NOT_FOUND),
                Arguments.of(new NotDirectoryException("/x"), StorageErrorKind.NOT_FOUND),
                Arguments.of(new AccessDeniedException("/x"), StorageErrorKind.ACCESS_DENIED),
                Arguments.of(new FileAlreadyExistsException("/x"), StorageErrorKind.FATAL),
                Arguments.of(new DirectoryNotEmptyException("/x"), StorageErrorKind.FATAL),
                Arguments.of(new FileSystemException("/x", null, "No space left on device"), StorageErrorKind.TRANSIENT),
                Arguments.of(new IOException("Stale file handle"), StorageErrorKind.TRANSIENT));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @MethodSource("failures")
    void classifiesFileSystemFailures(IOException failure, StorageErrorKind expected) {
        StorageException exception = LocalFileSystem.failure("read", root.resolve("x"), failure);

        assertThat(exception.kind()).isEqualTo(expected);
        assertThat(exception).hasMessageStartingWith("cannot read '%s': %s", root.resolve("x"), failure.getClass().getSimpleName()).hasCause(failure);
    }

    private List<String> relativePaths(Location directory) {
        List<String> paths = new ArrayList<>();
        FileIterator iterator = fileSystem.list(directory);
        while (iterator.hasNext()) {
            FileEntry entry = iterator.next();
            paths.add(root.relativePathOf(entry.location()));
        }
        return paths;
    }

    private static List<String> namesIn(Path directory) throws IOException {
        try (Stream<Path> children = Files.list(directory)) {
            return children.map(child -> child.getFileName().toString()).toList();
        }
    }

    private static StorageProfile profile(Location root) {
        return profile(root, Map.of());
    }

    private static StorageProfile profile(Location root, Map<String, String> properties) {
        return new StorageProfile("test", "local", List.of(root), Optional.empty(), Optional.empty(), properties);
    }
}
