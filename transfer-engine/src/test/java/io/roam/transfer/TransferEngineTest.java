package io.roam.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;
import io.roam.storage.StorageProfile;
import io.roam.storage.StorageRouter;
import io.roam.storage.local.LocalStorageBackend;
import io.roam.storage.testing.TestContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferEngineTest {

    private static final RetryPolicy QUICK_RETRIES = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5));

    @TempDir
    Path root;

    private final FaultyStorageBackend faulty = new FaultyStorageBackend();
    private StorageRouter router;
    private TransferEngine engine;

    @BeforeEach
    void createEngine() throws IOException {
        Files.createDirectories(root.resolve("local"));
        Files.createDirectories(root.resolve("faulty"));
        router = new StorageRouter(List.of(
                new StorageProfile("local", "local", List.of(directory(root.resolve("local"))), Optional.empty(),
                        Optional.empty(), Map.of()),
                new StorageProfile("faulty", "faulty", List.of(directory(root.resolve("faulty"))), Optional.empty(),
                        Optional.empty(), Map.of())),
                List.of(new LocalStorageBackend(), faulty));
        engine = new TransferEngine(router, new TransferOptions(3, 64 * 1024, QUICK_RETRIES));
    }

    @AfterEach
    void closeRouter() {
        router.close();
    }

    @Test
    void copiesADirectoryTreeAndReportsEveryFileWithItsSourceDigest() throws IOException {
        Map<String, TestContent> files = Map.of(
                "model.safetensors", new TestContent(1, 5 * 1024 * 1024 + 3),
                "optimizer/state.pt", new TestContent(2, 70_000),
                "optimizer/deep/er/still/shard 1.bin", new TestContent(3, 1),
                "données/模型.json", new TestContent(4, 999),
                "COMPLETE", new TestContent(5, 0));
        Path source = root.resolve("local/checkpoint");
        files.forEach((path, content) -> write(source.resolve(path), content));
        TransferProgressTracker tracker = new TransferProgressTracker();

        TransferPlan plan = engine.plan(directory(source), directory(root.resolve("local/replica")));
        List<CopiedFile> copied = engine.execute(plan, tracker);

        assertThat(copied).extracting(CopiedFile::relativePath)
                .containsExactly("COMPLETE", "données/模型.json", "model.safetensors", "optimizer/deep/er/still/shard 1.bin",
                        "optimizer/state.pt");
        for (CopiedFile file : copied) {
            TestContent content = files.get(file.relativePath());
            assertThat(file.size()).isEqualTo(content.size());
            assertThat(file.digest()).isEqualTo(content.sha256());
            assertThat(root.resolve("local/replica").resolve(file.relativePath())).hasSameBinaryContentAs(source.resolve(file.relativePath()));
        }
        assertThat(tracker.bytesDone()).isEqualTo(tracker.bytesTotal()).isEqualTo(plan.totalBytes());
        assertThat(tracker.filesDone()).isEqualTo(tracker.filesTotal()).isEqualTo(5);
    }

    @Test
    void aSourceWithoutTrailingSlashThatHoldsFilesIsADirectory() {
        write(root.resolve("local/dataset/part-0.parquet"), new TestContent(6, 100));

        TransferPlan plan = engine.plan(location(root.resolve("local/dataset")), location(root.resolve("local/staged")));

        assertThat(plan.source().isDirectory()).isTrue();
        assertThat(plan.files()).singleElement().satisfies(file -> {
            assertThat(file.relativePath()).isEqualTo("part-0.parquet");
            assertThat(file.target()).isEqualTo(location(root.resolve("local/staged/part-0.parquet")));
        });
    }

    @Test
    void aFileCopiedIntoADirectoryKeepsItsName() {
        write(root.resolve("local/tokens.bin"), new TestContent(7, 4096));

        TransferPlan intoDirectory = engine.plan(location(root.resolve("local/tokens.bin")), directory(root.resolve("local/scratch")));
        TransferPlan toFile = engine.plan(location(root.resolve("local/tokens.bin")), location(root.resolve("local/renamed.bin")));

        assertThat(intoDirectory.files()).singleElement()
                .satisfies(file -> assertThat(file.target()).isEqualTo(location(root.resolve("local/scratch/tokens.bin"))));
        assertThat(toFile.files()).singleElement()
                .satisfies(file -> assertThat(file.target()).isEqualTo(location(root.resolve("local/renamed.bin"))));
    }

    @Test
    void aMissingSourceFailsWithNotFoundNamingIt() {
        Location missing = directory(root.resolve("local/no-such-run"));

        assertThatThrownBy(() -> engine.plan(missing, directory(root.resolve("local/target"))))
                .isInstanceOfSatisfying(StorageException.class, failure -> assertThat(failure.kind()).isEqualTo(StorageErrorKind.NOT_FOUND))
                .hasMessageContaining(missing.toString());
    }

    @Test
    void aLocationNoProfileServesIsAnInvalidLocation() {
        write(root.resolve("local/a.bin"), new TestContent(8, 10));

        assertThatThrownBy(() -> engine.plan(location(root.resolve("local/a.bin")), Location.parse("/elsewhere/a.bin")))
                .isInstanceOfSatisfying(StorageException.class,
                        failure -> assertThat(failure.kind()).isEqualTo(StorageErrorKind.INVALID_LOCATION));
    }

    @Test
    void aReadThatBreaksOffIsRetriedAndTheCountersEndExact() {
        TestContent content = new TestContent(9, 300_000);
        write(root.resolve("faulty/big.bin"), content);
        faulty.readsToBreak.set(2);
        TransferProgressTracker tracker = new TransferProgressTracker();

        List<CopiedFile> copied = engine.execute(
                engine.plan(location(root.resolve("faulty/big.bin")), location(root.resolve("local/big.bin"))), tracker);

        assertThat(copied).singleElement().satisfies(file -> assertThat(file.digest()).isEqualTo(content.sha256()));
        assertThat(root.resolve("local/big.bin")).hasSameBinaryContentAs(root.resolve("faulty/big.bin"));
        assertThat(tracker.bytesDone()).isEqualTo(300_000);
    }

    @Test
    void aSourceThatKeepsBreakingFailsTransientAndPublishesNoPartialFile() {
        write(root.resolve("faulty/big.bin"), new TestContent(10, 300_000));
        faulty.readsToBreak.set(Integer.MAX_VALUE);

        assertThatThrownBy(() -> engine.execute(
                engine.plan(location(root.resolve("faulty/big.bin")), location(root.resolve("local/big.bin"))),
                new TransferProgressTracker()))
                .isInstanceOfSatisfying(StorageException.class, failure -> assertThat(failure.retryable()).isTrue());
        assertThat(faulty.reads).hasValue(QUICK_RETRIES.maxAttempts());
        assertThat(root.resolve("local/big.bin")).doesNotExist();
        assertThat(root.resolve("local")).isEmptyDirectory();
    }

    @Test
    void aNonRetryableFailureIsNotRetried() {
        write(root.resolve("faulty/secret.bin"), new TestContent(11, 100));
        faulty.refusal = new StorageException(StorageErrorKind.ACCESS_DENIED, "access denied to 'secret.bin'");
        faulty.readsToRefuse.set(Integer.MAX_VALUE);

        assertThatThrownBy(() -> engine.execute(
                engine.plan(location(root.resolve("faulty/secret.bin")), location(root.resolve("local/secret.bin"))),
                new TransferProgressTracker()))
                .isInstanceOfSatisfying(StorageException.class, failure -> assertThat(failure.kind()).isEqualTo(StorageErrorKind.ACCESS_DENIED));
        assertThat(faulty.reads).hasValue(1);
    }

    @Test
    void aDestinationThatStoresDifferentBytesFailsVerificationAndKeepsNoBadCopy() {
        write(root.resolve("local/model.bin"), new TestContent(12, 200_000));
        faulty.corruptWrites = true;

        assertThatThrownBy(() -> engine.execute(
                engine.plan(location(root.resolve("local/model.bin")), location(root.resolve("faulty/model.bin"))),
                new TransferProgressTracker()))
                .isInstanceOf(VerificationFailedException.class)
                .hasMessageContaining("does not match its source");
        assertThat(root.resolve("faulty/model.bin")).doesNotExist();
    }

    @Test
    void theRetryBackoffGrowsExponentiallyWithinItsCeiling() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(1));

        for (int attempt = 1; attempt <= 10; attempt++) {
            long ceiling = Math.min(1000, 100L << (attempt - 1));
            assertThat(policy.backoff(attempt)).isBetween(Duration.ZERO, Duration.ofMillis(ceiling));
        }
    }

    private static Location location(Path path) {
        return Location.parse("file://" + path.toAbsolutePath());
    }

    private static Location directory(Path path) {
        return Location.parse("file://" + path.toAbsolutePath() + "/");
    }

    private static void write(Path file, TestContent content) {
        try (InputStream input = content.newInputStream()) {
            Files.createDirectories(file.getParent());
            Files.copy(input, file);
        }
        catch (IOException failure) {
            throw new java.io.UncheckedIOException(failure);
        }
    }
}
