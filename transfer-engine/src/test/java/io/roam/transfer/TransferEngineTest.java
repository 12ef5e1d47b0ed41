package io.roam.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.roam.storage.Checksum;
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
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferEngineTest {

    private static final RetryPolicy QUICK_RETRIES = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5));
    private static final int PART_SIZE = 64 * 1024;

    @TempDir
    Path root;

    private final FaultyStorageBackend faulty = new FaultyStorageBackend();
    private final ServerSideCopyingStorageBackend copying = new ServerSideCopyingStorageBackend();
    private final ChecksumKeepingStorageBackend checksumKeeping = new ChecksumKeepingStorageBackend(faulty);
    private StorageRouter router;
    private TransferEngine engine;

    @BeforeEach
    void createEngine() throws IOException {
        Files.createDirectories(root.resolve("local"));
        Files.createDirectories(root.resolve("faulty"));
        Files.createDirectories(root.resolve("copying"));
        Files.createDirectories(root.resolve("checksum-keeping"));
        router = new StorageRouter(List.of(
                new StorageProfile("local", "local", List.of(directory(root.resolve("local"))), Optional.empty(),
                        Optional.empty(), Map.of()),
                new StorageProfile("faulty", "faulty", List.of(directory(root.resolve("faulty"))), Optional.empty(),
                        Optional.empty(), Map.of()),
                new StorageProfile("copying", "copying", List.of(directory(root.resolve("copying"))), Optional.empty(),
                        Optional.empty(), Map.of()),
                new StorageProfile("checksum-keeping", "checksum-keeping", List.of(directory(root.resolve("checksum-keeping"))),
                        Optional.empty(), Optional.empty(), Map.of())),
                List.of(new LocalStorageBackend(), faulty, copying, checksumKeeping));
        engine = new TransferEngine(router, new TransferOptions(3, 64 * 1024, QUICK_RETRIES));
    }

    @AfterEach
    void closeRouter() {
        router.close();
    }

    /** Files of at least two parts of {@link #PART_SIZE} are read in parts. */
    private TransferEngine engineWithSmallParts() {
        // Three files in flight, three reads per file, but only four part buffers in all.
        return new TransferEngine(router, new TransferOptions(3, 16 * 1024, QUICK_RETRIES, PART_SIZE, 3, 4));
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
    void aMissingSourceFailsWithANonRetryableSourceNotFoundNamingIt() {
        Location missing = directory(root.resolve("local/no-such-run"));

        assertThatThrownBy(() -> engine.plan(missing, directory(root.resolve("local/target"))))
                .isInstanceOfSatisfying(SourceNotFoundException.class, failure -> {
                    assertThat(failure.kind()).isEqualTo(StorageErrorKind.NOT_FOUND);
                    assertThat(failure.retryable()).isFalse();
                    assertThat(FailureCodes.of(failure)).isEqualTo("SOURCE_NOT_FOUND");
                })
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
    void aTargetThatIsTheSourceOrLiesInsideItIsAnInvalidLocation() {
        write(root.resolve("local/run/a.bin"), new TestContent(8, 10));
        Location sourceDirectory = directory(root.resolve("local/run"));
        Location sourceFile = location(root.resolve("local/run/a.bin"));

        for (Location[] sourceAndTarget : new Location[][] {
                {sourceDirectory, sourceDirectory},
                {sourceDirectory, directory(root.resolve("local/run/copy"))},
                {location(root.resolve("local/run")), Location.parse(root.toAbsolutePath().resolve("local/run/copy") + "/")},
                {sourceFile, sourceFile},
                {sourceFile, sourceDirectory}}) {
            assertThatThrownBy(() -> engine.plan(sourceAndTarget[0], sourceAndTarget[1]))
                    .as("%s to %s", sourceAndTarget[0], sourceAndTarget[1])
                    .isInstanceOfSatisfying(StorageException.class, failure -> assertThat(failure.kind()).isEqualTo(StorageErrorKind.INVALID_LOCATION))
                    .hasMessageStartingWith("cannot copy '%s' to '%s': ", sourceAndTarget[0], sourceAndTarget[1]);
        }
        assertThat(engine.plan(directory(root.resolve("local/run")), directory(root.resolve("local/run-copy"))).files()).hasSize(1);
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

        // Read back, the copy's CRC32C is compared with that of the bytes written.
        assertThatThrownBy(() -> engine.execute(
                engine.plan(location(root.resolve("local/model.bin")), location(root.resolve("faulty/model.bin"))),
                new TransferProgressTracker()))
                .isInstanceOf(VerificationFailedException.class)
                .hasMessageContaining("does not match its source")
                .hasMessageMatching("(?s).*expected 200000 bytes with crc32c:\\S+, read back 200000 bytes with crc32c:\\S+.*");
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

    /** Files of at least two parts are read through several ranged reads at once, into a shared pool of part buffers. */
    @Nested
    class LargeFiles {

        private TransferEngine partEngine;

        @BeforeEach
        void createEngineWithSmallParts() {
            partEngine = engineWithSmallParts();
        }

        @Test
        void manyLargeFilesReadInPartsThroughFewBuffersArriveByteForByteWithTheirDigests() {
            Map<String, TestContent> files = Map.of(
                    "shard-1.bin", new TestContent(31, 2L * PART_SIZE),
                    "shard-2.bin", new TestContent(32, 17L * PART_SIZE + 5),
                    "shard-3.bin", new TestContent(33, 9L * PART_SIZE - 1),
                    "shard-4.bin", new TestContent(34, 40L * PART_SIZE + 12_345),
                    "small.json", new TestContent(35, 1000));
            files.forEach((path, content) -> write(root.resolve("local/ckpt").resolve(path), content));
            TransferProgressTracker tracker = new TransferProgressTracker();

            List<CopiedFile> copied = partEngine.execute(
                    partEngine.plan(directory(root.resolve("local/ckpt")), directory(root.resolve("faulty/replica"))), tracker);

            assertThat(copied).hasSize(5).allSatisfy(file -> {
                assertThat(file.digest()).isEqualTo(files.get(file.relativePath()).sha256());
                assertThat(root.resolve("faulty/replica").resolve(file.relativePath()))
                        .hasSameBinaryContentAs(root.resolve("local/ckpt").resolve(file.relativePath()));
            });
            assertThat(tracker.bytesDone()).isEqualTo(tracker.bytesTotal());
        }

        @Test
        void aPartReadThatBreaksOffIsRetriedAndTheCopyIsExact() {
            TestContent content = new TestContent(36, 10L * PART_SIZE + 3);
            write(root.resolve("faulty/large.bin"), content);
            faulty.readsToBreak.set(2);
            TransferProgressTracker tracker = new TransferProgressTracker();

            List<CopiedFile> copied = partEngine.execute(
                    partEngine.plan(location(root.resolve("faulty/large.bin")), location(root.resolve("local/large.bin"))), tracker);

            assertThat(copied).singleElement().satisfies(file -> assertThat(file.digest()).isEqualTo(content.sha256()));
            assertThat(root.resolve("local/large.bin")).hasSameBinaryContentAs(root.resolve("faulty/large.bin"));
            assertThat(tracker.bytesDone()).isEqualTo(content.size());
        }

        @Test
        void aLargeCopyThatStoresDifferentBytesFailsVerification() {
            write(root.resolve("local/large.bin"), new TestContent(37, 6L * PART_SIZE));
            faulty.corruptWrites = true;

            assertThatThrownBy(() -> partEngine.execute(
                    partEngine.plan(location(root.resolve("local/large.bin")), location(root.resolve("faulty/large.bin"))),
                    new TransferProgressTracker()))
                    .isInstanceOf(VerificationFailedException.class);
            assertThat(root.resolve("faulty/large.bin")).doesNotExist();
        }

        @Test
        void aLargeSourceThatGrewSinceThePlanIsCopiedAtItsSizeNow() throws IOException {
            write(root.resolve("local/growing.bin"), new TestContent(39, 6L * PART_SIZE));
            TransferPlan plan = partEngine.plan(location(root.resolve("local/growing.bin")), location(root.resolve("faulty/growing.bin")));
            partEngine.execute(plan, new TransferProgressTracker());
            Files.write(root.resolve("local/growing.bin"), new TestContent(40, PART_SIZE + 9).bytes(), StandardOpenOption.APPEND);

            List<CopiedFile> copied = partEngine.execute(plan, new TransferProgressTracker());

            assertThat(root.resolve("faulty/growing.bin")).hasSameBinaryContentAs(root.resolve("local/growing.bin"));
            assertThat(copied).singleElement().satisfies(file -> assertThat(file.size()).isEqualTo(7L * PART_SIZE + 9));
        }

        @Test
        void aRerunOfALargeFileWritesNothing() {
            write(root.resolve("local/large.bin"), new TestContent(38, 7L * PART_SIZE + 1));
            TransferPlan plan = partEngine.plan(location(root.resolve("local/large.bin")), location(root.resolve("faulty/large.bin")));
            partEngine.execute(plan, new TransferProgressTracker());
            faulty.writesOpened.clear();
            TransferProgressTracker rerun = new TransferProgressTracker();

            partEngine.execute(plan, rerun);

            assertThat(faulty.writesOpened).isEmpty();
            assertThat(rerun.bytesSkipped()).isEqualTo(7L * PART_SIZE + 1);
        }
    }

    /** A target that keeps a checksum of what it stores is verified by it, without reading the copy back. */
    @Nested
    class VerificationByStoredChecksums {

        private TransferEngine partEngine;

        @BeforeEach
        void createEngineWithSmallParts() {
            partEngine = engineWithSmallParts();
        }

        @Test
        void copiesAreVerifiedByTheChecksumsTheTargetKeepsWithoutBeingReadBack() {
            Map<String, TestContent> files = Map.of(
                    "shard.bin", new TestContent(81, 9L * PART_SIZE + 7),
                    "config.json", new TestContent(82, 1000),
                    "empty", new TestContent(83, 0));
            files.forEach((path, content) -> write(root.resolve("local/ckpt").resolve(path), content));

            List<CopiedFile> copied = partEngine.execute(
                    partEngine.plan(directory(root.resolve("local/ckpt")), directory(root.resolve("checksum-keeping/ckpt"))),
                    new TransferProgressTracker());

            assertThat(copied).hasSize(3).allSatisfy(file -> {
                assertThat(file.digest()).isEqualTo(files.get(file.relativePath()).sha256());
                assertThat(root.resolve("checksum-keeping/ckpt").resolve(file.relativePath()))
                        .hasSameBinaryContentAs(root.resolve("local/ckpt").resolve(file.relativePath()));
            });
            assertThat(checksumKeeping.reads).as("reads of the copies").hasValue(0);
        }

        @Test
        void aTargetThatAnswersAWriteWithWhatItStoredIsNotAskedAgain() {
            TestContent content = new TestContent(90, 4L * PART_SIZE + 1);
            write(root.resolve("local/model.bin"), content);
            checksumKeeping.answersWrites = true;

            List<CopiedFile> copied = partEngine.execute(
                    partEngine.plan(location(root.resolve("local/model.bin")), location(root.resolve("checksum-keeping/model.bin"))),
                    new TransferProgressTracker());

            assertThat(copied).singleElement().satisfies(file -> assertThat(file.digest()).isEqualTo(content.sha256()));
            assertThat(checksumKeeping.storedChecksumsAsked).hasValue(0);
            assertThat(checksumKeeping.reads).hasValue(0);
        }

        @Test
        void everyTargetStreamIsOfferedTheSha256OfTheBytesWrittenToIt() {
            TestContent large = new TestContent(91, 4L * PART_SIZE + 1);
            TestContent small = new TestContent(92, 5000);
            write(root.resolve("local/tree/large.bin"), large);
            write(root.resolve("local/tree/small.bin"), small);
            checksumKeeping.answersWrites = true;

            partEngine.execute(partEngine.plan(location(root.resolve("local/tree")), location(root.resolve("checksum-keeping/tree"))),
                    new TransferProgressTracker());

            assertThat(checksumKeeping.offeredDigests).containsOnly(entry("large.bin", large.sha256()), entry("small.bin", small.sha256()));
        }

        @Test
        void aTargetWhoseStoredChecksumIsNotThatOfTheSourceFailsVerificationAndKeepsNoBadCopy() {
            write(root.resolve("local/large.bin"), new TestContent(84, 6L * PART_SIZE));
            write(root.resolve("local/small.bin"), new TestContent(85, 5000));
            faulty.corruptWrites = true;

            for (String name : List.of("large.bin", "small.bin")) {
                assertThatThrownBy(() -> partEngine.execute(
                        partEngine.plan(location(root.resolve("local").resolve(name)), location(root.resolve("checksum-keeping").resolve(name))),
                        new TransferProgressTracker()))
                        .isInstanceOf(VerificationFailedException.class)
                        .hasMessageContaining("its stored checksum is not that of the");
                assertThat(root.resolve("checksum-keeping").resolve(name)).doesNotExist();
            }
        }

        @Test
        void withoutAComparableStoredChecksumTheCopyIsReadBack() {
            TestContent content = new TestContent(86, 3L * PART_SIZE + 1);
            write(root.resolve("local/model.bin"), content);
            checksumKeeping.keepsChecksums = false;

            List<CopiedFile> copied = partEngine.execute(
                    partEngine.plan(location(root.resolve("local/model.bin")), location(root.resolve("checksum-keeping/model.bin"))),
                    new TransferProgressTracker());

            assertThat(copied).singleElement().satisfies(file -> assertThat(file.digest()).isEqualTo(content.sha256()));
            assertThat(checksumKeeping.reads).as("reads of the copy").hasPositiveValue();
        }

        @Test
        void withoutAComparableStoredChecksumACopyOfOtherBytesIsFoundByReadingItBackWithTheTargetsChecksum() {
            write(root.resolve("local/model.bin"), new TestContent(88, 3L * PART_SIZE + 1));
            checksumKeeping.keepsChecksums = false;
            faulty.corruptWrites = true;

            assertThatThrownBy(() -> partEngine.execute(
                    partEngine.plan(location(root.resolve("local/model.bin")), location(root.resolve("checksum-keeping/model.bin"))),
                    new TransferProgressTracker()))
                    .isInstanceOf(VerificationFailedException.class)
                    .hasMessageMatching("(?s).*expected \\d+ bytes with crc32c:\\S+, read back \\d+ bytes with crc32c:.*");
            assertThat(checksumKeeping.reads).as("reads of the copy").hasPositiveValue();
            assertThat(root.resolve("checksum-keeping/model.bin")).doesNotExist();
        }

        @Test
        void aRerunSkipsFilesWhoseStoredChecksumIsTheSourcesWithoutReadingThem() {
            write(root.resolve("local/large.bin"), new TestContent(87, 5L * PART_SIZE + 3));
            TransferPlan plan = partEngine.plan(location(root.resolve("local/large.bin")), location(root.resolve("checksum-keeping/large.bin")));
            partEngine.execute(plan, new TransferProgressTracker());
            faulty.writesOpened.clear();
            TransferProgressTracker rerun = new TransferProgressTracker();

            partEngine.execute(plan, rerun);

            assertThat(faulty.writesOpened).isEmpty();
            assertThat(rerun.bytesSkipped()).isEqualTo(5L * PART_SIZE + 3);
            assertThat(checksumKeeping.reads).hasValue(0);
        }

        @Test
        void aRerunCopiesAFileWhoseStoredChecksumDiffersThoughItsSizeIsTheSame() throws IOException {
            TestContent content = new TestContent(88, 2L * PART_SIZE);
            write(root.resolve("local/data.bin"), content);
            TransferPlan plan = partEngine.plan(location(root.resolve("local/data.bin")), location(root.resolve("checksum-keeping/data.bin")));
            partEngine.execute(plan, new TransferProgressTracker());
            Files.write(root.resolve("checksum-keeping/data.bin"), new TestContent(89, 2L * PART_SIZE).bytes());
            faulty.writesOpened.clear();

            partEngine.execute(plan, new TransferProgressTracker());

            assertThat(faulty.writesOpened).containsExactly(location(root.resolve("checksum-keeping/data.bin")));
            assertThat(root.resolve("checksum-keeping/data.bin")).hasSameBinaryContentAs(root.resolve("local/data.bin"));
        }
    }

    @Nested
    class ServerSideCopies {

        @Test
        void aTransferCancelledWhileTheProviderCopiesStopsTheCopyAndPublishesNothing() {
            write(root.resolve("copying/run/model.bin"), new TestContent(42, 200_000));
            TransferCancellation cancellation = new TransferCancellation();
            copying.beforeCopying = cancellation::cancel;

            assertThatThrownBy(() -> engine.execute(
                    engine.plan(directory(root.resolve("copying/run")), directory(root.resolve("copying/replica"))),
                    new TransferProgressTracker(), cancellation))
                    .isInstanceOf(TransferCancelledException.class);

            assertThat(copying.serverSideCopies).as("copies the provider completed").isEmpty();
            assertThat(root.resolve("copying/replica/model.bin")).doesNotExist();
        }

        @Test
        void withinOneFileSystemThatCanCopyTheProviderCopiesAndTheEngineVerifies() {
            TestContent content = new TestContent(40, 200_000);
            write(root.resolve("copying/run/model.bin"), content);
            TransferProgressTracker tracker = new TransferProgressTracker();

            List<CopiedFile> copied = engine.execute(
                    engine.plan(directory(root.resolve("copying/run")), directory(root.resolve("copying/replica"))), tracker);

            assertThat(copying.serverSideCopies).containsExactly(location(root.resolve("copying/replica/model.bin")));
            assertThat(copying.writesOpened).as("the engine wrote nothing itself").isEmpty();
            assertThat(copied).singleElement().satisfies(file -> assertThat(file.digest()).isEqualTo(content.sha256()));
            assertThat(tracker.bytesDone()).isEqualTo(200_000);
            assertThat(root.resolve("copying/replica/model.bin")).hasSameBinaryContentAs(root.resolve("copying/run/model.bin"));
        }

        @Test
        void aWrongCopyByTheProviderFailsVerificationAndIsRemoved() {
            write(root.resolve("copying/run/model.bin"), new TestContent(41, 10_000));
            copying.truncateCopies = true;

            assertThatThrownBy(() -> engine.execute(
                    engine.plan(location(root.resolve("copying/run/model.bin")), location(root.resolve("copying/copy.bin"))),
                    new TransferProgressTracker()))
                    .isInstanceOf(VerificationFailedException.class);
            assertThat(copying.serverSideCopies).hasSize(QUICK_RETRIES.maxAttempts());
            assertThat(root.resolve("copying/copy.bin")).doesNotExist();
        }

        @Test
        void betweenTwoFileSystemsTheEngineStreamsTheBytes() {
            write(root.resolve("local/model.bin"), new TestContent(42, 10_000));

            engine.execute(engine.plan(location(root.resolve("local/model.bin")), location(root.resolve("copying/model.bin"))),
                    new TransferProgressTracker());

            assertThat(copying.serverSideCopies).isEmpty();
            assertThat(copying.writesOpened).containsExactly(location(root.resolve("copying/model.bin")));
        }
    }

    @Nested
    class IncrementalCopies {

        @Test
        void aRerunOfAFinishedTransferWritesNothingAndReportsTheSameFiles() {
            write(root.resolve("local/checkpoint/model.bin"), new TestContent(20, 300_000));
            write(root.resolve("local/checkpoint/optimizer/state.pt"), new TestContent(21, 70_000));
            write(root.resolve("local/checkpoint/COMPLETE"), new TestContent(22, 0));
            Location source = directory(root.resolve("local/checkpoint"));
            Location target = directory(root.resolve("faulty/replica"));
            List<CopiedFile> firstRun = engine.execute(engine.plan(source, target), new TransferProgressTracker());
            assertThat(faulty.writesOpened).hasSize(3);
            faulty.writesOpened.clear();
            TransferProgressTracker rerun = new TransferProgressTracker();

            List<CopiedFile> secondRun = engine.execute(engine.plan(source, target), rerun);

            assertThat(faulty.writesOpened).isEmpty();
            assertThat(secondRun).isEqualTo(firstRun);
            assertThat(rerun.filesSkipped()).isEqualTo(rerun.filesDone()).isEqualTo(rerun.filesTotal()).isEqualTo(3);
            assertThat(rerun.bytesSkipped()).isEqualTo(rerun.bytesDone()).isEqualTo(rerun.bytesTotal()).isEqualTo(370_000);
        }

        @Test
        void aDirectoryIsComparedWithOneListingOfTheTargetNotALookupPerFile() {
            for (int index = 0; index < 20; index++) {
                write(root.resolve("local/dataset/shard-" + index + ".bin"), new TestContent(100 + index, 1000));
            }
            write(root.resolve("faulty/dataset/unrelated.txt"), new TestContent(99, 10));
            Location source = directory(root.resolve("local/dataset"));
            Location target = directory(root.resolve("faulty/dataset"));
            engine.execute(engine.plan(source, target), new TransferProgressTracker());
            faulty.stats.set(0);
            faulty.lists.set(0);
            faulty.writesOpened.clear();
            TransferProgressTracker rerun = new TransferProgressTracker();

            engine.execute(engine.plan(source, target), rerun);

            assertThat(faulty.writesOpened).isEmpty();
            assertThat(rerun.filesSkipped()).isEqualTo(20);
            assertThat(faulty.lists).hasValue(1);
            assertThat(faulty.stats).hasValue(0);
            assertThat(root.resolve("faulty/dataset/unrelated.txt")).exists();
        }

        @Test
        void aTargetOfTheSameSizeWithDifferentBytesIsOverwritten() {
            TestContent content = new TestContent(23, 200_000);
            write(root.resolve("local/model.bin"), content);
            write(root.resolve("faulty/model.bin"), new TestContent(24, 200_000));
            TransferProgressTracker tracker = new TransferProgressTracker();

            List<CopiedFile> copied = engine.execute(
                    engine.plan(location(root.resolve("local/model.bin")), location(root.resolve("faulty/model.bin"))), tracker);

            assertThat(copied).singleElement().satisfies(file -> assertThat(file.digest()).isEqualTo(content.sha256()));
            assertThat(root.resolve("faulty/model.bin")).hasSameBinaryContentAs(root.resolve("local/model.bin"));
            assertThat(faulty.writesOpened).hasSize(1);
            assertThat(tracker.filesSkipped()).isZero();
            assertThat(tracker.bytesSkipped()).isZero();
        }

        @Test
        void aTargetOfADifferentSizeIsOverwrittenWithoutBeingReadFirst() {
            write(root.resolve("local/model.bin"), new TestContent(25, 200_000));
            write(root.resolve("faulty/model.bin"), new TestContent(25, 199_999));

            engine.execute(engine.plan(location(root.resolve("local/model.bin")), location(root.resolve("faulty/model.bin"))),
                    new TransferProgressTracker());

            assertThat(root.resolve("faulty/model.bin")).hasSameBinaryContentAs(root.resolve("local/model.bin"));
            assertThat(faulty.writesOpened).hasSize(1);
            assertThat(faulty.reads).as("only the verification reads the target").hasValue(1);
        }

        @Test
        void differingNativeChecksumsProveADifferenceWithoutReadingEitherSideFirst() {
            write(root.resolve("faulty/source/model.bin"), new TestContent(26, 200_000));
            write(root.resolve("faulty/target/model.bin"), new TestContent(27, 200_000));
            Location source = location(root.resolve("faulty/source/model.bin"));
            Location target = location(root.resolve("faulty/target/model.bin"));
            faulty.nativeChecksums.put(source, new Checksum("md5", "0123456789abcdef0123456789abcdef"));
            faulty.nativeChecksums.put(target, new Checksum("md5", "fedcba9876543210fedcba9876543210"));

            engine.execute(engine.plan(source, target), new TransferProgressTracker());

            assertThat(root.resolve("faulty/target/model.bin")).hasSameBinaryContentAs(root.resolve("faulty/source/model.bin"));
            assertThat(faulty.reads).as("one read of the source to copy it, one of the target to verify it").hasValue(2);
        }

        @Test
        void equalNativeChecksumsAreNeverTakenAsProofOfSameContent() {
            write(root.resolve("faulty/source/model.bin"), new TestContent(28, 200_000));
            write(root.resolve("faulty/target/model.bin"), new TestContent(29, 200_000));
            Location source = location(root.resolve("faulty/source/model.bin"));
            Location target = location(root.resolve("faulty/target/model.bin"));
            Checksum stale = new Checksum("md5", "0123456789abcdef0123456789abcdef");
            faulty.nativeChecksums.put(source, stale);
            faulty.nativeChecksums.put(target, stale);
            TransferProgressTracker tracker = new TransferProgressTracker();

            engine.execute(engine.plan(source, target), tracker);

            assertThat(root.resolve("faulty/target/model.bin")).hasSameBinaryContentAs(root.resolve("faulty/source/model.bin"));
            assertThat(tracker.filesSkipped()).isZero();
        }
    }

    @Nested
    class Cancellation {

        private TransferEngine oneFileAtATime;

        /** Copies one file at a time, so that "after the first file" is a well-defined moment. */
        @BeforeEach
        void createSequentialEngine() {
            oneFileAtATime = new TransferEngine(router, new TransferOptions(1, 64 * 1024, QUICK_RETRIES));
        }

        @Test
        void cancellingWhileTheSecondFileIsWrittenAbortsItKeepsTheFirstAndStartsNoOther() throws IOException {
            TestContent first = new TestContent(30, 100_000);
            write(root.resolve("local/run/a.bin"), first);
            write(root.resolve("local/run/b.bin"), new TestContent(31, 300_000));
            write(root.resolve("local/run/c.bin"), new TestContent(32, 100_000));
            TransferCancellation cancellation = new TransferCancellation();
            faulty.onFirstBytesWritten = file -> {
                if (file.fileName().equals("b.bin")) {
                    cancellation.cancel();
                }
            };
            TransferProgressTracker tracker = new TransferProgressTracker();
            TransferPlan plan = oneFileAtATime.plan(directory(root.resolve("local/run")), directory(root.resolve("faulty/replica")));

            assertThatThrownBy(() -> oneFileAtATime.execute(plan, tracker, cancellation))
                    .isInstanceOfSatisfying(TransferCancelledException.class, failure -> {
                        assertThat(failure.kind()).isEqualTo(StorageErrorKind.FATAL);
                        assertThat(failure.retryable()).isFalse();
                    });
            try (Stream<Path> replica = Files.list(root.resolve("faulty/replica"))) {
                assertThat(replica).as("no partial or temporary file").extracting(path -> path.getFileName().toString())
                        .containsExactly("a.bin");
            }
            assertThat(root.resolve("faulty/replica/a.bin")).hasSameBinaryContentAs(root.resolve("local/run/a.bin"));
            assertThat(faulty.writesOpened).as("b.bin is not retried and c.bin never starts").extracting(Location::fileName)
                    .containsExactly("a.bin", "b.bin");
            assertThat(tracker.filesDone()).isEqualTo(1);
            assertThat(tracker.bytesDone()).isEqualTo(first.size());
        }

        @Test
        void aTransferCancelledBeforeItStartsCopiesNothing() {
            write(root.resolve("local/run/a.bin"), new TestContent(33, 100_000));
            TransferCancellation cancellation = new TransferCancellation();
            cancellation.cancel();
            TransferProgressTracker tracker = new TransferProgressTracker();
            TransferPlan plan = oneFileAtATime.plan(directory(root.resolve("local/run")), directory(root.resolve("faulty/replica")));

            assertThatThrownBy(() -> oneFileAtATime.execute(plan, tracker, cancellation))
                    .isInstanceOf(TransferCancelledException.class);
            assertThat(faulty.writesOpened).isEmpty();
            assertThat(faulty.reads).hasValue(0);
            assertThat(root.resolve("faulty/replica")).doesNotExist();
            assertThat(tracker.filesDone()).isZero();
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
