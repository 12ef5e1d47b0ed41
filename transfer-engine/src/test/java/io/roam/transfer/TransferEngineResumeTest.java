package io.roam.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roam.storage.Location;
import io.roam.storage.ResumableWrite;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageOutputStream;
import io.roam.storage.StorageProfile;
import io.roam.storage.StorageRouter;
import io.roam.storage.local.LocalStorageBackend;
import io.roam.storage.s3.S3StorageBackend;
import io.roam.storage.s3.testing.S3ProxyServer;
import io.roam.storage.testing.TestContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy to S3 (S3Proxy) whose earlier writer died mid-file: the engine continues the unfinished
 * multipart upload, sends only the parts it lacks, and the result is the source byte for byte.
 */
class TransferEngineResumeTest {

    private static final String BUCKET = "roam-engine-resume";
    private static final int PART_SIZE = 5 * 1024 * 1024;
    private static final Map<String, String> ONE_PART_AT_A_TIME = Map.of("part-size", "5MiB", "upload-concurrency", "1");

    @TempDir
    static Path serverDirectory;

    private static S3ProxyServer s3;

    @TempDir
    Path local;

    private final FaultyStorageBackend faulty = new FaultyStorageBackend();
    private StorageRouter router;
    private TransferEngine engine;

    @BeforeAll
    static void startS3() {
        s3 = S3ProxyServer.start(serverDirectory);
        s3.createBucket(BUCKET);
    }

    @AfterAll
    static void stopS3() {
        if (s3 != null) {
            s3.close();
        }
    }

    @BeforeEach
    void createEngine() {
        router = new StorageRouter(List.of(
                new StorageProfile("local", "local", List.of(Location.parse("file://" + local + "/")), Optional.empty(), Optional.empty(),
                        Map.of()),
                new StorageProfile("faulty", "faulty", List.of(Location.parse("file://" + local + "/faulty/")), Optional.empty(),
                        Optional.empty(), Map.of()),
                s3Profile()),
                List.of(new LocalStorageBackend(), faulty, new S3StorageBackend()));
        engine = new TransferEngine(router, new TransferOptions(2, 64 * 1024, new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5)),
                1024 * 1024, 3, 6));
    }

    @AfterEach
    void closeRouter() {
        router.close();
    }

    @Test
    void aFileWhoseWriterDiedIsFinishedFromThePartsAlreadyUploaded() throws IOException {
        TestContent content = new TestContent(51, 8L * PART_SIZE + 4321);
        Path source = writeSource("run-7/model.safetensors", content);
        Location target = Location.parse("s3://" + BUCKET + "/run-7/model.safetensors");
        // Another worker had handed over five parts, one at a time, and begun a sixth when it died: parts 1 to 4
        // are stored, the fifth may be.
        try (StorageFileSystem dying = new S3StorageBackend().create(s3Profile());
                InputStream input = content.newInputStream()) {
            StorageOutputStream abandoned = ((ResumableWrite) dying).openResumableWrite(target);
            abandoned.write(input.readNBytes(5 * PART_SIZE + 1));
        }
        TransferProgressTracker tracker = new TransferProgressTracker();

        List<CopiedFile> copied = engine.execute(engine.plan(Location.parse("file://" + source), target), tracker);

        assertCopiedExactly(copied, target, content);
        // At most the part in flight when the writer died is sent again.
        assertThat(tracker.partsResumed()).isBetween(4L, 5L);
        assertThat(tracker.bytesResumed()).isEqualTo(tracker.partsResumed() * PART_SIZE);
        assertThat(engine.partsResumed()).isEqualTo(tracker.partsResumed());
        assertThat(tracker.bytesDone()).isEqualTo(content.size());
    }

    @Test
    void aRetryAfterTheSourceBrokeOffContinuesTheUploadInsteadOfStartingOver() throws IOException {
        TestContent content = new TestContent(53, 8L * PART_SIZE + 99);
        Path source = writeSource("faulty/run-8/model.safetensors", content);
        Location target = Location.parse("s3://" + BUCKET + "/run-8/model.safetensors");
        // The source is read in 1 MiB ranges: the 27th breaks off, after five parts of 5 MiB were handed over.
        faulty.readsBeforeBreaking.set(26);
        faulty.readsToBreak.set(1);
        TransferProgressTracker tracker = new TransferProgressTracker();

        List<CopiedFile> copied = engine.execute(engine.plan(Location.parse("file://" + source), target), tracker);

        assertCopiedExactly(copied, target, content);
        // Parts 1 to 4 were handed over before the break, and those still in flight were finished before the
        // upload was left; whether the fifth was handed over depends on how far the reads ahead had got.
        assertThat(tracker.partsResumed()).isBetween(4L, 5L);
        assertThat(tracker.bytesDone()).isEqualTo(content.size());
    }

    @Test
    void aTransferHandedOverMidFileLeavesItsStoredPartsToTheRunThatContinuesIt() throws IOException {
        TestContent content = new TestContent(54, 8L * PART_SIZE + 77);
        Location target = Location.parse("s3://" + BUCKET + "/run-10/model.safetensors");
        TransferPlan plan = stopMidFile("run-10/model.safetensors", content, target, TransferCancellation::handOver);
        assertThat(router.fileSystem(target).stat(target)).as("a file stopped mid-copy is not published").isEmpty();

        TransferProgressTracker tracker = new TransferProgressTracker();
        List<CopiedFile> copied = engine.execute(plan, tracker);

        assertCopiedExactly(copied, target, content);
        assertThat(tracker.partsResumed()).as("parts the handed-over write had stored").isBetween(4L, 5L);
        assertThat(tracker.bytesDone()).isEqualTo(content.size());
    }

    @Test
    void aTransferCancelledMidFileDiscardsItsStoredPartsSoALaterRunStartsOver() throws IOException {
        TestContent content = new TestContent(55, 8L * PART_SIZE + 78);
        Location target = Location.parse("s3://" + BUCKET + "/run-11/model.safetensors");
        TransferPlan plan = stopMidFile("run-11/model.safetensors", content, target, TransferCancellation::cancel);

        TransferProgressTracker tracker = new TransferProgressTracker();
        List<CopiedFile> copied = engine.execute(plan, tracker);

        assertCopiedExactly(copied, target, content);
        assertThat(tracker.partsResumed()).as("parts the cancelled write had stored").isZero();
    }

    /**
     * Copies a large source to the target and stops the transfer the given way once at least four of its
     * parts have been handed over: the source is read in 1 MiB ranges, at most six ahead of the writer, so
     * when the 27th opens, four or five parts of 5 MiB have been. Returns the plan, for the next run.
     */
    private TransferPlan stopMidFile(String relativePath, TestContent content, Location target, Consumer<TransferCancellation> stop)
            throws IOException {
        Path source = writeSource("faulty/" + relativePath, content);
        TransferPlan plan = engine.plan(Location.parse("file://" + source), target);
        TransferCancellation cancellation = new TransferCancellation();
        faulty.onReadOpened = read -> {
            if (read == 27) {
                stop.accept(cancellation);
            }
        };
        assertThatThrownBy(() -> engine.execute(plan, new TransferProgressTracker(), cancellation))
                .isInstanceOf(TransferCancelledException.class);
        return plan;
    }

    @Test
    void aFileWithoutAnUnfinishedUploadIsCopiedWhole() throws IOException {
        TestContent content = new TestContent(52, 2L * PART_SIZE + 1);
        Path source = writeSource("fresh.bin", content);
        TransferProgressTracker tracker = new TransferProgressTracker();

        engine.execute(engine.plan(Location.parse("file://" + source), Location.parse("s3://" + BUCKET + "/fresh.bin")), tracker);

        assertThat(tracker.partsResumed()).isZero();
        assertThat(tracker.bytesDone()).isEqualTo(content.size());
    }

    private Path writeSource(String relativePath, TestContent content) throws IOException {
        Path source = local.resolve(relativePath);
        Files.createDirectories(source.getParent());
        try (InputStream input = content.newInputStream()) {
            Files.copy(input, source);
        }
        return source;
    }

    /** The engine reported the source's digest, and the target holds the source's bytes. */
    private void assertCopiedExactly(List<CopiedFile> copied, Location target, TestContent content) throws IOException {
        assertThat(copied).singleElement().satisfies(file -> assertThat(file.digest()).isEqualTo(content.sha256()));
        try (InputStream written = router.fileSystem(target).openRead(target, 0)) {
            assertThat(TestContent.sha256Of(written)).isEqualTo(content.sha256());
        }
    }

    private static StorageProfile s3Profile() {
        return s3.profile("s3", List.of(Location.parse("s3://" + BUCKET + "/")), ONE_PART_AT_A_TIME);
    }
}
