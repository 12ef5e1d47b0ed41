package io.roam.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roam.storage.FileEntry;
import io.roam.storage.FileIterator;
import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link StorageFileSystem} implements, run against each backend by a subclass
 * that supplies the file system and an empty directory. Where a backend cannot behave as specified,
 * its subclass overrides the test with a comment saying why.
 */
public abstract class AbstractStorageFileSystemContractTest {

    private static final int MEBIBYTE = 1024 * 1024;
    /** How far a backend's clock may be from the test's when checking modification times. */
    private static final Duration CLOCK_TOLERANCE = Duration.ofMinutes(2);

    /** The file system under test. Called many times per test: return the same instance within a test. */
    protected abstract StorageFileSystem fileSystem();

    /**
     * An empty directory location (ending with {@code /}) that belongs to the current test alone, served
     * by {@link #fileSystem()}. Every test expects it empty at its start, so return a fresh one per test
     * (a new temporary directory, or a new random prefix in a shared bucket), and the same one for every
     * call within a test.
     */
    protected abstract Location rootDirectory();

    /**
     * The size of the file written by {@link #fileLargerThanOnePartRoundTrips()}: more than the largest
     * part, block or chunk the backend uploads at once, so that its multipart path is exercised. The
     * default, 12 MiB, exceeds the 8 MiB part size Roam's object store backends use.
     */
    protected long largeFileSize() {
        return 12L * MEBIBYTE;
    }

    @Test
    public void writeThenReadReturnsTheSameBytes() throws IOException {
        Location file = rootDirectory().resolve("file.bin");
        TestContent content = new TestContent(1, 1000);

        write(file, content);

        assertThat(read(file)).isEqualTo(content.bytes());
    }

    @Test
    public void emptyFileRoundTrips() throws IOException {
        Location file = rootDirectory().resolve("empty.bin");

        fileSystem().openWrite(file).close();

        assertThat(read(file)).isEmpty();
        assertThat(fileSystem().stat(file)).hasValueSatisfying(entry -> assertThat(entry.size()).isZero());
        assertThat(listRelativePaths(rootDirectory())).containsExactly("empty.bin");
    }

    @Test
    public void fileLargerThanOnePartRoundTrips() throws IOException {
        Location file = rootDirectory().resolve("large.bin");
        TestContent content = new TestContent(2, largeFileSize());

        write(file, content);

        assertThat(fileSystem().stat(file)).hasValueSatisfying(entry -> assertThat(entry.size()).isEqualTo(content.size()));
        try (InputStream stream = fileSystem().openRead(file, 0)) {
            assertThat(TestContent.sha256Of(stream)).isEqualTo(content.sha256());
        }
    }

    @Test
    public void readFromAnOffsetReturnsTheRestOfTheFile() throws IOException {
        Location file = rootDirectory().resolve("ranged.bin");
        TestContent content = new TestContent(3, MEBIBYTE + 123);
        write(file, content);

        for (long offset : new long[] {0, 1, 65_537, content.size() - 1, content.size()}) {
            try (InputStream stream = fileSystem().openRead(file, offset)) {
                assertThat(TestContent.sha256Of(stream)).as("content from offset %d", offset).isEqualTo(content.sha256From(offset));
            }
        }
    }

    /** A ranged read reads only what it needs and closes the stream before its end. */
    @Test
    public void readOfARangeMayStopBeforeTheEnd() throws IOException {
        Location file = rootDirectory().resolve("ranged.bin");
        TestContent content = new TestContent(4, MEBIBYTE);
        write(file, content);

        try (InputStream stream = fileSystem().openRead(file, 500_000)) {
            assertThat(stream.readNBytes(1000)).isEqualTo(content.newInputStream(500_000).readNBytes(1000));
        }
    }

    @Test
    public void readOfABoundedRangeReturnsExactlyThatRange() throws IOException {
        Location file = rootDirectory().resolve("parts.bin");
        TestContent content = new TestContent(7, MEBIBYTE + 123);
        write(file, content);

        try (InputStream stream = fileSystem().openRead(file, 65_537, 300_000)) {
            assertThat(stream.readAllBytes()).isEqualTo(content.newInputStream(65_537).readNBytes(300_000));
        }
        try (InputStream stream = fileSystem().openRead(file, content.size() - 100, 1000)) {
            assertThat(stream.readAllBytes()).as("a range past the end").isEqualTo(content.newInputStream(content.size() - 100).readAllBytes());
        }
        try (InputStream stream = fileSystem().openRead(file, 10, 0)) {
            assertThat(stream.readAllBytes()).as("an empty range").isEmpty();
        }
        assertFailsWith(StorageErrorKind.NOT_FOUND, () -> fileSystem().openRead(rootDirectory().resolve("missing.bin"), 0, 10).close());
    }

    @Test
    public void statDescribesAnExistingFile() {
        Location file = rootDirectory().resolve("described.bin");
        Instant before = Instant.now();
        write(file, new TestContent(5, 4321));
        Instant after = Instant.now();

        FileEntry entry = fileSystem().stat(file).orElseThrow();

        assertThat(entry.location()).isEqualTo(file);
        assertThat(entry.size()).isEqualTo(4321);
        assertThat(entry.lastModified()).isBetween(before.minus(CLOCK_TOLERANCE), after.plus(CLOCK_TOLERANCE));
    }

    @Test
    public void statOfAMissingFileIsEmpty() {
        assertThat(fileSystem().stat(rootDirectory().resolve("missing.bin"))).isEmpty();
        assertThat(fileSystem().stat(rootDirectory().resolve("missing/nested/file.bin"))).isEmpty();
    }

    /** A directory, or a common prefix on a blob store, is not a file. */
    @Test
    public void aDirectoryIsNotAFile() {
        write(rootDirectory().resolve("directory/file.bin"), new TestContent(6, 10));
        Location directoryAsFile = rootDirectory().resolve("directory");

        assertThat(fileSystem().stat(directoryAsFile)).isEmpty();
        assertFailsWith(StorageErrorKind.NOT_FOUND, () -> fileSystem().openRead(directoryAsFile, 0).close());
        fileSystem().delete(directoryAsFile);
        assertThat(listRelativePaths(rootDirectory())).containsExactly("directory/file.bin");
    }

    @Test
    public void openReadOfAMissingFileFailsWithNotFound() {
        Location missing = rootDirectory().resolve("missing.bin");

        assertFailsWith(StorageErrorKind.NOT_FOUND, () -> fileSystem().openRead(missing, 0).close());
    }

    @Test
    public void overwriteReplacesTheContent() throws IOException {
        Location file = rootDirectory().resolve("overwritten.bin");
        write(file, new TestContent(7, 10_000));
        TestContent replacement = new TestContent(8, 3);

        write(file, replacement);

        assertThat(read(file)).isEqualTo(replacement.bytes());
        assertThat(fileSystem().stat(file)).hasValueSatisfying(entry -> assertThat(entry.size()).isEqualTo(3));
    }

    /**
     * The contract for every backend: a file appears only when its writer closes the stream, never
     * partially written, to stat, list and read alike.
     */
    @Test
    public void writeIsNotVisibleUntilClose() throws IOException {
        Location file = rootDirectory().resolve("in-progress/file.bin");
        TestContent content = new TestContent(9, 100_000);

        try (OutputStream stream = fileSystem().openWrite(file)) {
            content.newInputStream().transferTo(stream);
            stream.flush();

            assertThat(fileSystem().stat(file)).isEmpty();
            assertThat(listRelativePaths(rootDirectory())).isEmpty();
            assertFailsWith(StorageErrorKind.NOT_FOUND, () -> fileSystem().openRead(file, 0).close());
        }

        assertThat(read(file)).isEqualTo(content.bytes());
    }

    @Test
    public void previousContentStaysVisibleWhileAnOverwriteIsInProgress() throws IOException {
        Location file = rootDirectory().resolve("file.bin");
        TestContent previous = new TestContent(10, 5000);
        TestContent replacement = new TestContent(11, 7000);
        write(file, previous);

        try (OutputStream stream = fileSystem().openWrite(file)) {
            replacement.newInputStream().transferTo(stream);
            stream.flush();

            assertThat(read(file)).isEqualTo(previous.bytes());
        }

        assertThat(read(file)).isEqualTo(replacement.bytes());
    }

    /** A writer whose source broke off aborts: nothing partial is ever published. */
    @Test
    public void anAbortedWriteLeavesThePreviousContentAndNoTrace() throws IOException {
        Location existing = rootDirectory().resolve("existing.bin");
        Location fresh = rootDirectory().resolve("fresh/file.bin");
        TestContent previous = new TestContent(12, 3000);
        write(existing, previous);

        for (Location file : List.of(existing, fresh)) {
            StorageOutputStream stream = fileSystem().openWrite(file);
            new TestContent(13, largeFileSize() / 2).newInputStream().transferTo(stream);
            stream.abort();
            stream.close();
            stream.abort();
        }

        assertThat(read(existing)).isEqualTo(previous.bytes());
        assertThat(fileSystem().stat(fresh)).isEmpty();
        assertThat(listRelativePaths(rootDirectory())).containsExactly("existing.bin");
    }

    @Test
    public void deleteRemovesTheFile() {
        Location file = rootDirectory().resolve("deleted.bin");
        Location sibling = rootDirectory().resolve("kept.bin");
        write(file, new TestContent(12, 10));
        write(sibling, new TestContent(13, 10));

        fileSystem().delete(file);

        assertThat(fileSystem().stat(file)).isEmpty();
        assertFailsWith(StorageErrorKind.NOT_FOUND, () -> fileSystem().openRead(file, 0).close());
        assertThat(listRelativePaths(rootDirectory())).containsExactly("kept.bin");
    }

    @Test
    public void deleteOfAMissingFileSucceeds() {
        Location file = rootDirectory().resolve("deleted.bin");
        write(file, new TestContent(14, 10));

        fileSystem().delete(file);
        fileSystem().delete(file);
        fileSystem().delete(rootDirectory().resolve("never/existed.bin"));

        assertThat(fileSystem().stat(file)).isEmpty();
    }

    @Test
    public void listFindsFilesInDeeplyNestedDirectories() {
        List<String> written = new ArrayList<>();
        StringBuilder directory = new StringBuilder();
        for (int depth = 1; depth <= 12; depth++) {
            directory.append("level-").append(depth).append('/');
            written.add(directory + "file-" + depth + ".bin");
        }
        for (String relativePath : written) {
            write(rootDirectory().resolve(relativePath), new TestContent(relativePath.length(), relativePath.length()));
        }

        assertThat(listRelativePaths(rootDirectory())).containsExactlyInAnyOrderElementsOf(written);
        assertThat(listRelativePaths(rootDirectory().resolve("level-1/level-2/level-3/level-4/level-5/level-6/level-7/level-8/level-9/level-10/")))
                .containsExactlyInAnyOrderElementsOf(written.subList(9, 12));
    }

    /** More files than a single page of a blob store listing in tests (backends page by 100 or 1000). */
    @Test
    public void listReturnsManyFilesWithTheirSizes() {
        List<String> written = IntStream.range(0, 250).mapToObj(index -> "many/file-%03d.bin".formatted(index)).toList();
        for (int index = 0; index < written.size(); index++) {
            write(rootDirectory().resolve(written.get(index)), new TestContent(index, index));
        }

        List<FileEntry> entries = list(rootDirectory().resolve("many/"));

        assertThat(entries).extracting(entry -> rootDirectory().relativePathOf(entry.location())).containsExactlyInAnyOrderElementsOf(written);
        assertThat(entries).allSatisfy(entry -> assertThat(entry.size()).isEqualTo(Long.parseLong(entry.location().fileName().substring(5, 8))));
    }

    @Test
    public void listOfAnEmptyOrMissingDirectoryIsEmpty() {
        assertThat(listRelativePaths(rootDirectory())).isEmpty();
        assertThat(listRelativePaths(rootDirectory().resolve("missing/"))).isEmpty();
    }

    @Test
    public void listDoesNotIncludeSiblingsSharingANamePrefix() {
        write(rootDirectory().resolve("dir/inside.bin"), new TestContent(15, 1));
        write(rootDirectory().resolve("dir-other/outside.bin"), new TestContent(16, 1));
        write(rootDirectory().resolve("dir.bin"), new TestContent(17, 1));

        assertThat(listRelativePaths(rootDirectory().resolve("dir/"))).containsExactly("dir/inside.bin");
        assertThat(listRelativePaths(rootDirectory())).containsExactlyInAnyOrder("dir/inside.bin", "dir-other/outside.bin", "dir.bin");
    }

    @Test
    public void unicodeAndSpacesInNamesRoundTrip() throws IOException {
        String relativePath = "données/ckpt 1/模型.bin";
        Location file = rootDirectory().resolve(relativePath);
        TestContent content = new TestContent(18, 2048);

        write(file, content);

        assertThat(listRelativePaths(rootDirectory())).containsExactly(relativePath);
        assertThat(fileSystem().stat(file)).hasValueSatisfying(entry -> assertThat(entry.size()).isEqualTo(2048));
        assertThat(read(file)).isEqualTo(content.bytes());
        assertThat(read(list(rootDirectory()).getFirst().location())).isEqualTo(content.bytes());
    }

    /**
     * Names are taken literally, whatever URLs make of their characters: {@code +} is no space, {@code %41} no
     * {@code A}, and {@code &}, {@code =} or {@code ;} separate nothing. Run names and hyperparameters in paths
     * hold such characters. ({@code ?} and {@code #} are refused by {@link Location} itself.)
     */
    @Test
    public void namesWithCharactersThatUrlsReserveRoundTrip() throws IOException {
        String directory = "lr=3e-4&seed=42/step+100 (copy)/";
        String small = directory + "weights;v=2,x'y!~@$%41[0]*.bin";
        String large = directory + "optimizer+state %41.bin";
        TestContent smallContent = new TestContent(20, 1024);
        TestContent largeContent = new TestContent(28, largeFileSize());

        write(rootDirectory().resolve(small), smallContent);
        write(rootDirectory().resolve(large), largeContent);

        assertThat(listRelativePaths(rootDirectory())).containsExactlyInAnyOrder(small, large);
        assertThat(fileSystem().stat(rootDirectory().resolve(small))).hasValueSatisfying(entry -> assertThat(entry.size()).isEqualTo(1024));
        assertThat(read(rootDirectory().resolve(small))).isEqualTo(smallContent.bytes());
        try (InputStream stream = fileSystem().openRead(rootDirectory().resolve(large), 0)) {
            assertThat(TestContent.sha256Of(stream)).isEqualTo(largeContent.sha256());
        }
        fileSystem().delete(rootDirectory().resolve(small));
        assertThat(listRelativePaths(rootDirectory().resolve(directory))).containsExactly(large);
    }

    @Test
    public void listingEndsLikeAnIterator() {
        write(rootDirectory().resolve("only.bin"), new TestContent(19, 1));

        FileIterator iterator = fileSystem().list(rootDirectory());

        assertThat(iterator.hasNext()).isTrue();
        assertThat(iterator.hasNext()).isTrue();
        assertThat(iterator.next().location().fileName()).isEqualTo("only.bin");
        assertThat(iterator.hasNext()).isFalse();
        assertThatThrownBy(iterator::next).isInstanceOf(NoSuchElementException.class);
    }

    /** Locations name files; a directory is a prefix. Mixing them up is a caller's error, refused up front. */
    @Test
    public void refusesDirectoryLocationsForFileOperationsAndFileLocationsForListing() {
        Location directory = rootDirectory().resolve("directory/");
        Location file = rootDirectory().resolve("file.bin");

        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem().stat(directory));
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem().openRead(directory, 0).close());
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem().openWrite(directory).close());
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem().delete(directory));
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem().list(file));
    }

    protected void write(Location file, TestContent content) {
        try (InputStream source = content.newInputStream(); OutputStream stream = fileSystem().openWrite(file)) {
            source.transferTo(stream);
        }
        catch (IOException exception) {
            throw new AssertionError("cannot write " + file, exception);
        }
    }

    protected byte[] read(Location file) throws IOException {
        try (InputStream stream = fileSystem().openRead(file, 0)) {
            return stream.readAllBytes();
        }
    }

    protected List<FileEntry> list(Location directory) {
        List<FileEntry> entries = new ArrayList<>();
        FileIterator iterator = fileSystem().list(directory);
        while (iterator.hasNext()) {
            entries.add(iterator.next());
        }
        return entries;
    }

    /** The listed files' paths relative to {@link #rootDirectory()}: what the test wrote. */
    protected List<String> listRelativePaths(Location directory) {
        return list(directory).stream()
                .map(entry -> rootDirectory().relativePathOf(entry.location()))
                .toList();
    }

    public static void assertFailsWith(StorageErrorKind kind, ThrowingCallable operation) {
        assertThatThrownBy(operation)
                .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(kind));
    }
}
