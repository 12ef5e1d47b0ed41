package io.roam.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.roam.contracts.messages.ArtifactCoordinates;
import io.roam.contracts.messages.ArtifactKind;
import io.roam.contracts.messages.ManifestEntry;
import io.roam.contracts.messages.Topics;
import io.roam.contracts.messages.TransferCancellationRequest;
import io.roam.contracts.messages.TransferEvent;
import io.roam.contracts.messages.TransferEventType;
import io.roam.contracts.messages.TransferPurpose;
import io.roam.contracts.messages.TransferRequest;
import io.roam.infrastructure.WorkDirectories;
import io.roam.infrastructure.testing.KafkaTestClient;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(WorkerTestProfile.class)
class TransferRequestConsumerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Inject
    ObjectMapper objectMapper;

    @Inject
    RunningTransfers runningTransfers;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaTestClient kafka;
    private Path testDirectory;

    @BeforeEach
    void setUp() throws IOException {
        kafka = new KafkaTestClient(bootstrapServers);
        testDirectory = Files.createDirectories(WorkerTestProfile.STORAGE_ROOT.resolve(UUID.randomUUID().toString()));
    }

    @AfterEach
    void tearDown() {
        kafka.close();
        WorkDirectories.deleteRecursively(testDirectory);
    }

    @Test
    void copiesADirectoryTreeVerifiesItAndReportsTheManifest() throws Exception {
        Path source = testDirectory.resolve("checkpoint-1000");
        write(source.resolve("model.safetensors"), 3 * 1024 * 1024 + 17);
        write(source.resolve("optimizer/shard 0.pt"), 4096);
        write(source.resolve("optimizer/nested/état.json"), 0);
        Path target = testDirectory.resolve("replica/checkpoint-1000");
        TransferRequest request = request(uri(source) + "/", uri(target) + "/");

        send(request);

        TransferEvent started = awaitEvent(request, TransferEventType.STARTED);
        assertThat(started.progress().filesTotal()).isEqualTo(3);
        assertThat(started.progress().bytesTotal()).isEqualTo(3 * 1024 * 1024 + 17 + 4096);
        TransferEvent succeeded = awaitEvent(request, TransferEventType.SUCCEEDED);
        List<ManifestEntry> manifest = awaitEvent(request, TransferEventType.MANIFEST).manifest();
        assertThat(manifest).containsExactly(
                expectedEntry(source, "model.safetensors"),
                expectedEntry(source, "optimizer/nested/état.json"),
                expectedEntry(source, "optimizer/shard 0.pt"));
        assertThat(succeeded.manifestFiles()).isEqualTo(3);
        assertThat(succeeded.progress().bytesDone()).isEqualTo(succeeded.progress().bytesTotal());
        for (ManifestEntry entry : manifest) {
            assertThat(target.resolve(entry.path())).hasSameBinaryContentAs(source.resolve(entry.path()));
        }
    }

    @Test
    void copiesASingleFileIntoATargetDirectory() throws Exception {
        Path source = testDirectory.resolve("datasets/train.parquet");
        write(source, 100_000);
        Path target = testDirectory.resolve("scratch");
        TransferRequest request = request(uri(source), uri(target) + "/");

        send(request);

        assertThat(awaitEvent(request, TransferEventType.SUCCEEDED).manifestFiles()).isEqualTo(1);
        assertThat(awaitEvent(request, TransferEventType.MANIFEST).manifest())
                .containsExactly(new ManifestEntry("train.parquet", 100_000, "sha256", sha256(source)));
        assertThat(target.resolve("train.parquet")).hasSameBinaryContentAs(source);
    }

    @Test
    void aVerificationReportsWhatIsAtTheReplicaNowAndADeletionRemovesIt() throws Exception {
        Path replica = testDirectory.resolve("replica/checkpoint-7");
        write(replica.resolve("model.safetensors"), 2048);
        write(replica.resolve("shards/0.bin"), 10);
        String location = uri(replica) + "/";
        TransferRequest verification = request(location, location, TransferPurpose.VERIFICATION);

        send(verification);

        assertThat(awaitEvent(verification, TransferEventType.SUCCEEDED).manifestFiles()).isEqualTo(2);
        assertThat(awaitEvent(verification, TransferEventType.MANIFEST).manifest())
                .containsExactly(expectedEntry(replica, "model.safetensors"), expectedEntry(replica, "shards/0.bin"));

        TransferRequest deletion = request(location, location, TransferPurpose.DELETION);
        send(deletion);

        assertThat(awaitEvent(deletion, TransferEventType.SUCCEEDED).manifestFiles()).isZero();
        assertThat(replica).as("the replica's directory, which the deletion left empty").doesNotExist();
        assertThat(replica.getParent()).isDirectory();
        TransferRequest verificationOfNothing = request(location, location, TransferPurpose.VERIFICATION);
        send(verificationOfNothing);
        assertThat(awaitEvent(verificationOfNothing, TransferEventType.FAILED).error().code()).isEqualTo("NOT_FOUND");
    }

    @Test
    void aReplicaWhoseLocationLacksItsTrailingSlashIsTheDirectoryOfThatName() throws Exception {
        Path replica = testDirectory.resolve("replica/checkpoint-8");
        write(replica.resolve("model.safetensors"), 2048);
        write(replica.resolve("shards/0.bin"), 10);
        String location = uri(replica);
        TransferRequest verification = request(location, location, TransferPurpose.VERIFICATION);

        send(verification);

        assertThat(awaitEvent(verification, TransferEventType.MANIFEST).manifest())
                .containsExactly(expectedEntry(replica, "model.safetensors"), expectedEntry(replica, "shards/0.bin"));

        TransferRequest deletion = request(location, location, TransferPurpose.DELETION);
        send(deletion);

        assertThat(awaitEvent(deletion, TransferEventType.SUCCEEDED)).isNotNull();
        assertThat(replica).doesNotExist();
    }

    @Test
    void aMissingSourceFailsTheTransferWithANonRetryableSourceNotFound() {
        String missing = uri(testDirectory.resolve("no-such-checkpoint")) + "/";
        TransferRequest request = request(missing, uri(testDirectory.resolve("target")) + "/");

        send(request);

        TransferEvent failed = awaitEvent(request, TransferEventType.FAILED);
        assertThat(failed.error().code()).isEqualTo("SOURCE_NOT_FOUND");
        assertThat(failed.error().retryable()).isFalse();
        assertThat(failed.error().message()).contains(missing);
    }

    @Test
    void aLocationNoProfileServesFailsTheTransferWithInvalidLocation() throws Exception {
        Path source = testDirectory.resolve("file.bin");
        write(source, 10);
        TransferRequest request = request(uri(source), "file:///elsewhere/file.bin");

        send(request);

        TransferEvent failed = awaitEvent(request, TransferEventType.FAILED);
        assertThat(failed.error().code()).isEqualTo("INVALID_LOCATION");
        assertThat(failed.error().message()).contains("no storage profile serves 'file:///elsewhere/file.bin'");
        assertThat(Path.of("/elsewhere/file.bin")).doesNotExist();
    }

    @Test
    void aTransferCancelledBeforeItsRequestArrivesIsNotStarted() throws Exception {
        Path source = testDirectory.resolve("cancelled/model.bin");
        write(source, 50_000);
        Path target = testDirectory.resolve("never-written");
        TransferRequest request = request(uri(source), uri(target) + "/");
        kafka.send(Topics.TRANSFER_CANCELLATIONS, request.transferId().toString(),
                objectMapper.writeValueAsString(new TransferCancellationRequest(request.transferId(), Instant.now())));
        awaitCancellationSeen(request);

        send(request);

        TransferEvent failed = awaitEvent(request, TransferEventType.FAILED);
        assertThat(failed.error().code()).isEqualTo("CANCELLED");
        assertThat(failed.error().retryable()).isFalse();
        assertThat(target).doesNotExist();
        assertThat(kafka.records(Topics.TRANSFER_EVENTS))
                .filteredOn(record -> request.transferId().toString().equals(record.key()))
                .extracting(record -> parse(record).type())
                .containsExactly(TransferEventType.FAILED);
    }

    @Test
    void aRecordThatIsNotATransferRequestGoesToTheDeadLetterTopicWithTheReason() {
        String key = "poison-" + UUID.randomUUID();
        kafka.send(Topics.TRANSFER_REQUESTS, key, "{\"transferId\":\"not-a-uuid\"}");

        ConsumerRecord<String, String> deadLetter = kafka.awaitRecord(Topics.TRANSFER_REQUESTS_DEAD_LETTER,
                record -> key.equals(record.key()), TIMEOUT);
        String reason = new String(deadLetter.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8);
        assertThat(reason).contains("not a transfer request");
        assertThat(deadLetter.value()).isEqualTo("{\"transferId\":\"not-a-uuid\"}");
    }

    /** The worker reads cancellations on its own consumer; a marker shows it has read past this one. */
    private void awaitCancellationSeen(TransferRequest request) {
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(runningTransfers.start(request.transferId()).orElseThrow().isCancelled()).isTrue());
        runningTransfers.finish(request.transferId());
    }

    private TransferRequest request(String source, String target) {
        return request(source, target, TransferPurpose.REPLICATION);
    }

    private TransferRequest request(String source, String target, TransferPurpose purpose) {
        return new TransferRequest(UUID.randomUUID(), UUID.randomUUID(),
                new ArtifactCoordinates("llm", ArtifactKind.CHECKPOINT, "run-42", "checkpoint-1000"), purpose,
                source, target, Instant.now());
    }

    private void send(TransferRequest request) {
        try {
            kafka.send(Topics.TRANSFER_REQUESTS, request.transferId().toString(), objectMapper.writeValueAsString(request));
        }
        catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
    }

    private TransferEvent awaitEvent(TransferRequest request, TransferEventType type) {
        ConsumerRecord<String, String> record = kafka.awaitRecord(Topics.TRANSFER_EVENTS,
                candidate -> request.transferId().toString().equals(candidate.key()) && parse(candidate).type() == type, TIMEOUT);
        return parse(record);
    }

    private TransferEvent parse(ConsumerRecord<String, String> record) {
        try {
            return objectMapper.readValue(record.value(), TransferEvent.class);
        }
        catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    private static ManifestEntry expectedEntry(Path root, String relativePath) throws Exception {
        Path file = root.resolve(relativePath);
        return new ManifestEntry(relativePath, Files.size(file), "sha256", sha256(file));
    }

    private static String uri(Path path) {
        return "file://" + path.toAbsolutePath();
    }

    private static void write(Path file, int size) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        Files.write(file, content);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
