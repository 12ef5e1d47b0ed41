package io.roam.storage.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.roam.storage.Location;
import io.roam.storage.ResumableOutputStream;
import io.roam.storage.ResumableWrite;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageProfile;
import io.roam.storage.testing.TestContent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a resumable local write does with the partial file of its target beyond the shared contract: who may continue it, and what it leaves. */
class LocalResumableWriteTest {

    private static final int BLOCK = AtomicFileOutputStream.RESUME_BLOCK_SIZE;

    @TempDir
    Path rootPath;

    private Location root;
    private StorageFileSystem fileSystem;
    private Process lockHolder;

    @BeforeEach
    void createFileSystem() {
        root = Location.parse(rootPath + "/");
        fileSystem = new LocalStorageBackend().create(new StorageProfile("test", "local", List.of(root), Optional.empty(), Optional.empty(), Map.of()));
    }

    @AfterEach
    void closeFileSystem() throws InterruptedException {
        fileSystem.close();
        if (lockHolder != null) {
            lockHolder.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFinishedResumedWriteLeavesTheFileAloneAndAnAbortedOneLeavesNothing() throws IOException {
        byte[] content = new TestContent(1, 3L * BLOCK + 5).bytes();
        ResumableOutputStream abandoned = resumableWrite("model.bin");
        abandoned.write(content, 0, 2 * BLOCK);
        abandoned.flush();
        abandoned.abandon();
        assertThat(namesIn(rootPath)).containsExactly(LocalFileSystem.partialName("model.bin"));

        ResumableOutputStream resumed = resumableWrite("model.bin");
        resumed.write(content);
        resumed.close();

        assertThat(resumed.partsResumed()).isEqualTo(2);
        assertThat(namesIn(rootPath)).containsExactly("model.bin");
        ResumableOutputStream aborted = resumableWrite("model.bin");
        aborted.write(new TestContent(2, 2L * BLOCK).bytes());
        aborted.flush();
        aborted.abort();
        assertThat(namesIn(rootPath)).containsExactly("model.bin");
        assertThat(Files.readAllBytes(rootPath.resolve("model.bin"))).isEqualTo(content);
    }

    @Test
    void aPartialFileAnotherWriteOfThisProcessIsWritingIsLeftToItAndTheSecondWriteStartsAfresh() throws IOException {
        byte[] first = new TestContent(3, 4L * BLOCK).bytes();
        byte[] second = new TestContent(4, 3L * BLOCK + 1).bytes();
        ResumableOutputStream firstWrite = resumableWrite("shard.bin");
        firstWrite.write(first, 0, 2 * BLOCK);
        firstWrite.flush();

        ResumableOutputStream secondWrite = resumableWrite("shard.bin");
        secondWrite.write(second);
        secondWrite.close();

        assertThat(secondWrite.partsResumed()).isZero();
        assertThat(Files.readAllBytes(rootPath.resolve("shard.bin"))).isEqualTo(second);
        firstWrite.write(first, 2 * BLOCK, first.length - 2 * BLOCK);
        firstWrite.close();
        assertThat(Files.readAllBytes(rootPath.resolve("shard.bin"))).isEqualTo(first);
        assertThat(namesIn(rootPath)).containsExactly("shard.bin");
    }

    @Test
    void aPartialFileLockedByALiveWriterInAnotherProcessIsNeitherContinuedNorTouched() throws IOException {
        Path partial = rootPath.resolve(LocalFileSystem.partialName("shard.bin"));
        byte[] othersBytes = new TestContent(5, 2L * BLOCK).bytes();
        Files.write(partial, othersBytes);
        holdLockInAnotherProcess(partial);
        byte[] content = new TestContent(5, 3L * BLOCK).bytes();

        ResumableOutputStream write = resumableWrite("shard.bin");
        write.write(content);
        write.close();

        assertThat(write.partsResumed()).as("blocks kept from a file another process is writing").isZero();
        assertThat(Files.readAllBytes(rootPath.resolve("shard.bin"))).isEqualTo(content);
        assertThat(Files.readAllBytes(partial)).as("the other writer's file").isEqualTo(othersBytes);
    }

    @Test
    void aPartialFileLeftByAProcessThatDiedIsContinuedOnceItsLockIsGone() throws IOException, InterruptedException {
        Path partial = rootPath.resolve(LocalFileSystem.partialName("shard.bin"));
        byte[] content = new TestContent(6, 3L * BLOCK + 77).bytes();
        Files.write(partial, Arrays.copyOf(content, 2 * BLOCK + 10));
        holdLockInAnotherProcess(partial);
        lockHolder.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        ResumableOutputStream write = resumableWrite("shard.bin");
        write.write(content);
        write.close();

        assertThat(write.partsResumed()).isEqualTo(2);
        assertThat(write.bytesResumed()).isEqualTo(2L * BLOCK);
        assertThat(Files.readAllBytes(rootPath.resolve("shard.bin"))).isEqualTo(content);
        assertThat(namesIn(rootPath)).containsExactly("shard.bin");
    }

    @Test
    void aSymbolicLinkAtThePartialFilesNameIsNotFollowed() throws IOException {
        Path elsewhere = Files.writeString(rootPath.resolveSibling(rootPath.getFileName() + "-secret.txt"), "not Roam's");
        Files.createSymbolicLink(rootPath.resolve(LocalFileSystem.partialName("shard.bin")), elsewhere);
        byte[] content = new TestContent(7, 2L * BLOCK + 3).bytes();

        ResumableOutputStream write = resumableWrite("shard.bin");
        write.write(content);
        write.close();

        assertThat(write.partsResumed()).isZero();
        assertThat(Files.readAllBytes(rootPath.resolve("shard.bin"))).isEqualTo(content);
        assertThat(Files.readString(elsewhere, UTF_8)).isEqualTo("not Roam's");
        Files.delete(elsewhere);
    }

    @Test
    void aFileExpectedTooSmallToBeWorthResumingIsWrittenFreshAndAnAbandonedOneLeavesNothing() throws IOException {
        ResumableOutputStream small = ((ResumableWrite) fileSystem).openResumableWrite(root.resolve("config.json"),
                LocalFileSystem.MINIMUM_RESUMABLE_SIZE - 1);
        small.write(new TestContent(8, 2L * BLOCK).bytes());
        small.flush();
        small.abandon();
        assertThat(namesIn(rootPath)).isEmpty();

        ResumableOutputStream large = ((ResumableWrite) fileSystem).openResumableWrite(root.resolve("model.bin"),
                LocalFileSystem.MINIMUM_RESUMABLE_SIZE);
        large.write(new TestContent(9, 2L * BLOCK).bytes());
        large.flush();
        large.abandon();
        assertThat(namesIn(rootPath)).containsExactly(LocalFileSystem.partialName("model.bin"));
    }

    @Test
    void everyFileNameHasAPartialFileOfItsOwnWithinTheNameLengthLimit() {
        String longName = "model-".repeat(60) + ".safetensors";
        String otherWithTheSameBeginning = "model-".repeat(60) + ".bin";

        assertThat(LocalFileSystem.partialName(longName))
                .isEqualTo(LocalFileSystem.partialName(longName))
                .isNotEqualTo(LocalFileSystem.partialName(otherWithTheSameBeginning))
                .startsWith(".model-model-")
                .hasSizeLessThan(100);
        assertThat(LocalFileSystem.isPartialFile(LocalFileSystem.partialName(longName))).isTrue();
    }

    private ResumableOutputStream resumableWrite(String name) {
        return ((ResumableWrite) fileSystem).openResumableWrite(root.resolve(name));
    }

    private void holdLockInAnotherProcess(Path file) throws IOException {
        lockHolder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PartialFileLockHolder.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader output = new BufferedReader(new InputStreamReader(lockHolder.getInputStream(), UTF_8));
        assertThat(output.readLine()).as("what the lock holder says").isEqualTo("locked");
    }

    private static List<String> namesIn(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(entry -> entry.getFileName().toString()).sorted().toList();
        }
    }
}
