package io.roam.storage.azure;

import static io.roam.storage.testing.AbstractStorageFileSystemContractTest.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.Block;
import com.azure.storage.blob.models.BlockList;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import io.roam.storage.Checksum;
import io.roam.storage.FileEntry;
import io.roam.storage.FileIterator;
import io.roam.storage.Location;
import io.roam.storage.ServerSideCopy;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageErrors;
import io.roam.storage.StorageException;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageOutputStream;
import io.roam.storage.StorageProfile;
import io.roam.storage.WriteVerification;
import io.roam.storage.azure.testing.AzuriteServer;
import io.roam.storage.testing.TestContent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the Azure backend does beyond the shared contract, against Azurite. */
class AzureFileSystemTest {

    private static final String CONTAINER = "specifics";
    private static final int MEBIBYTE = 1024 * 1024;

    @TempDir
    static Path workDirectory;

    private static AzuriteServer azurite;
    private static BlobContainerClient container;

    private final List<StorageFileSystem> fileSystems = new ArrayList<>();
    private String prefix;
    private StorageFileSystem fileSystem;

    @BeforeAll
    static void startAzurite() throws IOException {
        azurite = AzuriteServer.start(workDirectory);
        azurite.createContainer(CONTAINER);
        container = azurite.client().getBlobContainerClient(CONTAINER);
    }

    @AfterAll
    static void stopAzurite() {
        if (azurite != null) {
            azurite.close();
        }
    }

    @BeforeEach
    void createFileSystem() {
        prefix = UUID.randomUUID() + "/";
        fileSystem = create(azurite.profile("specifics", List.of(Location.parse("az://%s/".formatted(CONTAINER))), AzureFileSystemContractTest.SMALL_BLOCKS));
    }

    @AfterEach
    void closeFileSystems() {
        fileSystems.forEach(StorageFileSystem::close);
    }

    @Test
    void aWrongAccountKeyIsAccessDeniedAndNeverQuoted() throws IOException {
        String wrongKey = "V3JvbmdLZXlXcm9uZ0tleVdyb25nS2V5V3JvbmdLZXlXcm9uZ0tleVdyb25nS2V5";
        Path wrongKeyFile = Files.writeString(workDirectory.resolve("wrong-key"), wrongKey);
        StorageFileSystem wronglyKeyed = create(azurite.profile("wrong-key", List.of(Location.parse("az://%s/".formatted(CONTAINER))),
                Map.of("account-key-file", wrongKeyFile.toString())));
        Location file = location("file.bin");

        assertThatThrownBy(() -> wronglyKeyed.stat(file))
                .isInstanceOfSatisfying(StorageException.class, exception -> {
                    assertThat(exception.kind()).isEqualTo(StorageErrorKind.ACCESS_DENIED);
                    // Azure answers AuthenticationFailed; Azurite (quirk) answers AuthorizationFailure.
                    assertThat(exception.getMessage()).startsWith("cannot stat '%s': Azure answered HTTP 403 ".formatted(file));
                    assertThat(stackTraceOf(exception)).doesNotContain(wrongKey).doesNotContain(AzuriteServer.ACCOUNT_KEY);
                });
        assertFailsWith(StorageErrorKind.ACCESS_DENIED, () -> wronglyKeyed.list(location("")).hasNext());
        assertFailsWith(StorageErrorKind.ACCESS_DENIED, () -> wronglyKeyed.openRead(file, 0));
        assertThatThrownBy(() -> write(wronglyKeyed, file, new TestContent(1, 10)))
                .isInstanceOf(IOException.class)
                .satisfies(exception -> assertThat(StorageErrors.classify(exception).kind()).isEqualTo(StorageErrorKind.ACCESS_DENIED));
    }

    @Test
    void aMissingContainerIsNotFoundExceptToDelete() {
        StorageFileSystem missing = create(azurite.profile("missing", List.of(Location.parse("az://missing-container/"))));
        Location file = Location.parse("az://missing-container/file.bin");

        assertFailsWith(StorageErrorKind.NOT_FOUND, () -> missing.stat(file));
        assertFailsWith(StorageErrorKind.NOT_FOUND, () -> missing.openRead(file, 0));
        assertFailsWith(StorageErrorKind.NOT_FOUND, () -> missing.list(Location.parse("az://missing-container/")).hasNext());
        assertThatThrownBy(() -> write(missing, file, new TestContent(2, 10)))
                .satisfies(exception -> assertThat(StorageErrors.classify(exception).kind()).isEqualTo(StorageErrorKind.NOT_FOUND));
        missing.delete(file);
    }

    @Test
    void invalidContainerNamesAreInvalidLocations() {
        for (String name : List.of("ab", "Upper", "double--hyphen", "under_score", "a".repeat(64))) {
            Location file = Location.parse("az://%s/file.bin".formatted(name));
            assertThatThrownBy(() -> fileSystem.stat(file))
                    .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.INVALID_LOCATION))
                    .hasMessageContaining("not a valid container name");
            assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.openWrite(file));
        }
    }

    @Test
    void locationsOutsideTheProfilesRootsAreInvalid() {
        StorageFileSystem confined = create(azurite.profile("confined", List.of(Location.parse("az://%s/%s".formatted(CONTAINER, prefix)))));
        azurite.createContainer("elsewhere");

        for (Location outside : List.of(
                Location.parse("az://elsewhere/file.bin"),
                Location.parse("az://%s/other/file.bin".formatted(CONTAINER)),
                Location.parse("abfss://%s@%s.dfs.core.windows.net/%sfile.bin".formatted(CONTAINER, AzuriteServer.ACCOUNT, prefix)),
                Location.parse("s3://%s/%sfile.bin".formatted(CONTAINER, prefix)))) {
            assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> confined.stat(outside));
            assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> confined.openWrite(outside));
            assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> confined.delete(outside));
        }
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> confined.list(Location.parse("az://elsewhere/")));
        assertFailsWith(StorageErrorKind.INVALID_LOCATION,
                () -> confined.stat(Location.parse("abfss://%s@otheraccount.dfs.core.windows.net/%sfile.bin".formatted(CONTAINER, prefix))));
    }

    /** The Hadoop form names the same blobs; listings answer in the form they were asked in. */
    @Test
    void abfssLocationsWithTheAccountInTheHostRoundTrip() throws IOException {
        Location abfssRoot = Location.parse("abfss://%s@%s.dfs.core.windows.net/".formatted(CONTAINER, AzuriteServer.ACCOUNT));
        StorageFileSystem adls = create(azurite.profile("adls", List.of(abfssRoot)));
        Location directory = abfssRoot.resolve(prefix + "run-42/");
        Location file = directory.resolve("checkpoint/model.bin");
        TestContent content = new TestContent(3, 3 * MEBIBYTE);

        write(adls, file, content);

        assertThat(adls.stat(file)).hasValueSatisfying(entry -> assertThat(entry.size()).isEqualTo(content.size()));
        assertThat(list(adls, directory)).extracting(FileEntry::location).containsExactly(file);
        assertThat(sha256(adls, file)).isEqualTo(content.sha256());
        assertThat(sha256(fileSystem, location("run-42/checkpoint/model.bin"))).isEqualTo(content.sha256());
        adls.delete(file);
        assertThat(fileSystem.stat(location("run-42/checkpoint/model.bin"))).isEmpty();
    }

    /** Written files carry their MD5 as Content-MD5: the native checksum of stat and listings. */
    @Test
    void theContentMd5IsTheNativeChecksumOfSmallAndBlockListWrites() {
        TestContent small = new TestContent(4, 1000);
        TestContent large = new TestContent(5, 10 * MEBIBYTE);
        write(location("small.bin"), small);
        write(location("large.bin"), large);

        assertThat(fileSystem.stat(location("small.bin")).orElseThrow().nativeChecksum()).contains(md5(small));
        assertThat(fileSystem.stat(location("large.bin")).orElseThrow().nativeChecksum()).contains(md5(large));
        assertThat(list(fileSystem, location(""))).extracting(FileEntry::nativeChecksum).containsExactlyInAnyOrder(
                Optional.of(md5(small)), Optional.of(md5(large)));
    }

    @Test
    void aLargeWriteIsCommittedAsBlocksOfTheBlockSize() {
        write(location("blocks.bin"), new TestContent(6, 10 * MEBIBYTE));

        List<Block> blocks = container.getBlobClient(prefix + "blocks.bin").getBlockBlobClient().listBlocks(BlockListType.COMMITTED).getCommittedBlocks();

        assertThat(blocks).extracting(Block::getSizeLong).containsExactly(4L * MEBIBYTE, 4L * MEBIBYTE, 2L * MEBIBYTE);
    }

    /**
     * An aborted overwrite commits nothing: the previous content stays, and the blocks the write staged stay
     * uncommitted, invisible to readers, until the service garbage-collects them (Azure: after a week, or
     * at the next commit to that name). One block at a time, so that the first is surely staged when the
     * third begins; abort cancels whatever is still in flight.
     */
    @Test
    void anAbortedOverwriteLeavesTheStagedBlocksUncommitted() throws IOException {
        StorageFileSystem oneBlockAtATime = create(azurite.profile("sequential", List.of(Location.parse("az://%s/".formatted(CONTAINER))),
                Map.of("block-size", "4MiB", "upload-concurrency", "1")));
        Location file = location("overwritten.bin");
        TestContent previous = new TestContent(7, 1000);
        write(file, previous);
        StorageOutputStream stream = oneBlockAtATime.openWrite(file);
        new TestContent(8, 9 * MEBIBYTE).newInputStream().transferTo(stream);

        stream.abort();

        assertThat(sha256(fileSystem, file)).isEqualTo(previous.sha256());
        BlockList blocks = container.getBlobClient(prefix + "overwritten.bin").getBlockBlobClient().listBlocks(BlockListType.ALL);
        assertThat(blocks.getUncommittedBlocks()).isNotEmpty().allSatisfy(block -> assertThat(block.getSizeLong()).isEqualTo(4L * MEBIBYTE));
        assertThatThrownBy(() -> stream.write(1)).isInstanceOf(IOException.class);
    }

    /** A read sees one version: once the blob is replaced, reading on fails, retryably, rather than mixing both. */
    @Test
    void aReadFailsRetryablyWhenTheFileIsReplacedUnderIt() throws IOException {
        Location file = location("replaced.bin");
        write(file, new TestContent(8, 10 * MEBIBYTE));

        try (InputStream stream = fileSystem.openRead(file, 0)) {
            stream.readNBytes(MEBIBYTE);
            write(file, new TestContent(9, 10 * MEBIBYTE));

            assertThatThrownBy(() -> stream.readNBytes(9 * MEBIBYTE))
                    .isInstanceOf(IOException.class)
                    .satisfies(exception -> assertThat(StorageErrors.classify(exception).kind()).isEqualTo(StorageErrorKind.TRANSIENT));
        }
    }

    @Test
    void aReadPastTheEndIsEmpty() throws IOException {
        write(location("short.bin"), new TestContent(10, 100));

        try (InputStream stream = fileSystem.openRead(location("short.bin"), 1000)) {
            assertThat(stream.read()).isEqualTo(-1);
        }
        assertFailsWith(StorageErrorKind.NOT_FOUND, () -> fileSystem.openRead(location("missing.bin"), 1000));
    }

    /** Marker blobs of ADLS Gen2 directories (hdi_isfolder) and of tools that save "folders" as 'name/' are not files. */
    @Test
    void directoryMarkersAreNotFiles() throws IOException {
        container.getBlobClient(prefix + "adls-directory").uploadWithResponse(
                new BlobParallelUploadOptions(BinaryData.fromBytes(new byte[0])).setMetadata(Map.of("hdi_isfolder", "true")), null, null);
        container.getBlobClient(prefix + "folder/").upload(BinaryData.fromBytes(new byte[0]));
        write(location("folder/file.bin"), new TestContent(11, 10));

        assertThat(list(fileSystem, location(""))).extracting(entry -> entry.location().fileName()).containsExactly("file.bin");
        assertThat(fileSystem.stat(location("adls-directory"))).isEmpty();
        assertFailsWith(StorageErrorKind.NOT_FOUND, () -> fileSystem.openRead(location("adls-directory"), 0));
    }

    /**
     * Only the MD5s the service checked count: blocks under Roam's content ids, of the profile's block size,
     * or the Content-MD5 of a blob sent whole. Whatever else a blob holds has no stored checksum, and is
     * read back instead.
     */
    @Test
    void blobsNotSentAsRoamSendsThemHaveNoStoredChecksum() throws IOException {
        WriteVerification smallBlocks = (WriteVerification) create(azure("small-blocks", Map.of("block-size", "64KiB")));
        WriteVerification largerBlocks = (WriteVerification) create(azure("larger-blocks", Map.of("block-size", "128KiB")));
        TestContent large = new TestContent(13, 300 * 1024);
        write((StorageFileSystem) smallBlocks, location("roam.bin"), large);
        // The SDK's own uploads: blocks under random ids, and a Put Blob larger than one block.
        upload("sdk-blocks.bin", large, 64 * 1024);
        upload("sdk-whole.bin", large, (int) large.size());
        // Two blocks, committed with a Content-MD5 that the service stores unchecked.
        container.getBlobClient(prefix + "wrong-md5.bin").uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(new TestContent(14, 1000).bytes()))
                .setParallelTransferOptions(new ParallelTransferOptions().setBlockSizeLong(500L).setMaxSingleUploadSizeLong(500L))
                .setHeaders(new BlobHttpHeaders().setContentMd5(new byte[16])), null, null);
        write((StorageFileSystem) smallBlocks, location("source.bin"), new TestContent(15, 1000));
        assertThat(((ServerSideCopy) smallBlocks).copy(location("source.bin"), location("copy.bin"), () -> false)).isTrue();
        assertThat(((ServerSideCopy) smallBlocks).copy(location("roam.bin"), location("large-copy.bin"), () -> false)).isTrue();

        assertThat(smallBlocks.storedChecksum(location("roam.bin"))).isPresent();
        assertThat(largerBlocks.storedChecksum(location("roam.bin"))).as("written with another block size").isEmpty();
        assertThat(smallBlocks.storedChecksum(location("sdk-blocks.bin"))).isEmpty();
        assertThat(smallBlocks.storedChecksum(location("sdk-whole.bin"))).isEmpty();
        assertThat(fileSystem.stat(location("wrong-md5.bin")).orElseThrow().nativeChecksum()).contains(new Checksum("md5", "0".repeat(32)));
        assertThat(smallBlocks.storedChecksum(location("wrong-md5.bin"))).isEmpty();
        assertThat(smallBlocks.storedChecksum(location("source.bin"))).isPresent();
        assertThat(smallBlocks.storedChecksum(location("copy.bin"))).isEmpty();
        assertThat(smallBlocks.storedChecksum(location("large-copy.bin"))).isEmpty();
    }

    @Test
    void anAccountKeyFromAnEnvironmentVariableAuthorisesEverything() throws IOException {
        StorageProfile profile = profileWithCredentials(Map.of("credentials", "account-key", "account-key-env", "ROAM_TEST_AZURE_ACCOUNT_KEY"));
        StorageFileSystem fromEnvironment = new AzureStorageBackend(variable -> variable.equals("ROAM_TEST_AZURE_ACCOUNT_KEY") ? AzuriteServer.ACCOUNT_KEY : null)
                .create(profile);
        fileSystems.add(fromEnvironment);

        assertWritesReadsAndCopies(fromEnvironment);
    }

    /**
     * The SAS authorises the requests, and the service reads copy sources with it too. A container SAS, the
     * least privilege a profile needs: Azurite (quirk) fails Put Block From URL authorised by an account SAS
     * with HTTP 500 (it has no account-SAS permission entry for that operation); Azure accepts both.
     */
    @Test
    void aSasTokenFromAFileAuthorisesEverything() throws IOException {
        String signature = container.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1), BlobContainerSasPermission.parse("racwdl")));
        Path signatureFile = Files.writeString(workDirectory.resolve("sas-token"), signature + "\n");

        assertWritesReadsAndCopies(create(profileWithCredentials(Map.of("credentials", "sas-token", "sas-token-file", signatureFile.toString()))));
    }

    @Test
    void aConnectionStringFromAFileAuthorisesEverything() throws IOException {
        Path connectionStringFile = Files.writeString(workDirectory.resolve("connection-string"), azurite.connectionString());

        assertWritesReadsAndCopies(create(profileWithCredentials(Map.of("credentials", "connection-string", "connection-string-file", connectionStringFile.toString()))));
    }

    @Test
    void streamsStillWritingFailOnceTheFileSystemIsClosed() throws IOException {
        StorageFileSystem closing = create(azurite.profile("closing", List.of(Location.parse("az://%s/".formatted(CONTAINER))), AzureFileSystemContractTest.SMALL_BLOCKS));
        OutputStream stream = closing.openWrite(location("unfinished.bin"));
        stream.write(new byte[MEBIBYTE]);

        closing.close();

        assertThatThrownBy(() -> stream.write(new byte[4 * MEBIBYTE])).isInstanceOf(IOException.class);
        assertThat(fileSystem.stat(location("unfinished.bin"))).isEmpty();
    }

    private void assertWritesReadsAndCopies(StorageFileSystem authorised) throws IOException {
        TestContent content = new TestContent(12, 5 * MEBIBYTE);
        Location source = location("authorised/source.bin");
        Location target = location("authorised/target.bin");

        write(authorised, source, content);
        assertThat(((ServerSideCopy) authorised).copy(source, target, () -> false)).isTrue();

        assertThat(sha256(authorised, target)).isEqualTo(content.sha256());
        assertThat(list(authorised, location("authorised/"))).hasSize(2);
        authorised.delete(source);
        assertThat(authorised.stat(source)).isEmpty();
    }

    /** A profile of the test container that authenticates as the given properties say. */
    private static StorageProfile profileWithCredentials(Map<String, String> credentials) {
        Map<String, String> properties = new HashMap<>(AzureFileSystemContractTest.SMALL_BLOCKS);
        properties.put("account", AzuriteServer.ACCOUNT);
        properties.put("endpoint", azurite.endpoint());
        properties.putAll(credentials);
        return new StorageProfile("credentials", "azure", List.of(Location.parse("az://%s/".formatted(CONTAINER))), Optional.empty(), Optional.empty(), properties);
    }

    private static StorageProfile azure(String name, Map<String, String> properties) {
        return azurite.profile(name, List.of(Location.parse("az://%s/".formatted(CONTAINER))), properties);
    }

    /** Uploads with the SDK's own block ids and choice between Put Blob and blocks. */
    private void upload(String relativePath, TestContent content, int blockSize) {
        container.getBlobClient(prefix + relativePath).uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(content.bytes()))
                .setParallelTransferOptions(new ParallelTransferOptions().setBlockSizeLong((long) blockSize).setMaxSingleUploadSizeLong((long) blockSize)),
                null, null);
    }

    private StorageFileSystem create(StorageProfile profile) {
        StorageFileSystem created = new AzureStorageBackend().create(profile);
        fileSystems.add(created);
        return created;
    }

    private Location location(String relativePath) {
        return Location.parse("az://%s/%s%s".formatted(CONTAINER, prefix, relativePath));
    }

    private void write(Location file, TestContent content) {
        try {
            write(fileSystem, file, content);
        }
        catch (IOException exception) {
            throw new AssertionError("cannot write " + file, exception);
        }
    }

    private static void write(StorageFileSystem target, Location file, TestContent content) throws IOException {
        content.writeTo(target, file);
    }

    private static Checksum sha256(StorageFileSystem source, Location file) throws IOException {
        return TestContent.sha256Of(source, file);
    }

    private static List<FileEntry> list(StorageFileSystem source, Location directory) {
        List<FileEntry> entries = new ArrayList<>();
        FileIterator iterator = source.list(directory);
        while (iterator.hasNext()) {
            entries.add(iterator.next());
        }
        return entries;
    }

    private static Checksum md5(TestContent content) {
        try (InputStream stream = content.newInputStream()) {
            MessageDigest digest = MessageDigest.getInstance("MD5");
            digest.update(stream.readAllBytes());
            return new Checksum("md5", HexFormat.of().formatHex(digest.digest()));
        }
        catch (IOException | NoSuchAlgorithmException exception) {
            throw new AssertionError(exception);
        }
    }

    private static String stackTraceOf(Throwable throwable) {
        StringWriter text = new StringWriter();
        throwable.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
