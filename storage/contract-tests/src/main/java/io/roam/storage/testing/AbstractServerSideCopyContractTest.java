package io.roam.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.roam.storage.Location;
import io.roam.storage.ServerSideCopy;
import io.roam.storage.StorageErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The whole file system contract plus the behaviour of the {@link ServerSideCopy} capability: the
 * suite a backend with server-side copy extends instead of {@link AbstractStorageFileSystemContractTest}.
 * The copied file is {@link #largeFileSize()} long, so that backends copying part by part (S3
 * UploadPartCopy) do so.
 */
public abstract class AbstractServerSideCopyContractTest extends AbstractStorageFileSystemContractTest {

    private static final BooleanSupplier NEVER = () -> false;

    @Test
    public void serverSideCopyDuplicatesAFileWithoutChangingTheSource() throws IOException {
        Location source = rootDirectory().resolve("copy/source.bin");
        Location target = rootDirectory().resolve("copy/nested/target.bin");
        TestContent content = new TestContent(21, largeFileSize());
        write(source, content);

        assertThat(copier().copy(source, target, NEVER)).isTrue();

        assertThat(digestOf(target)).isEqualTo(content.sha256());
        assertThat(digestOf(source)).isEqualTo(content.sha256());
    }

    /** The source travels in a header or a parameter of the copy request, where URLs reserve these characters. */
    @Test
    public void serverSideCopyTakesNamesWithCharactersThatUrlsReserve() throws IOException {
        Location smallSource = rootDirectory().resolve("lr=3e-4&seed=42/step+100 (copy);x,y'z!~@$%41[0]*.bin");
        Location largeSource = rootDirectory().resolve("lr=3e-4&seed=42/optimizer+state %41.bin");
        TestContent smallContent = new TestContent(29, 1000);
        TestContent largeContent = new TestContent(30, largeFileSize());
        write(smallSource, smallContent);
        write(largeSource, largeContent);

        assertThat(copier().copy(smallSource, rootDirectory().resolve("copies/step+100 (copy) %41.bin"), NEVER)).isTrue();
        assertThat(copier().copy(largeSource, rootDirectory().resolve("copies/optimizer+state %41.bin"), NEVER)).isTrue();

        assertThat(digestOf(rootDirectory().resolve("copies/step+100 (copy) %41.bin"))).isEqualTo(smallContent.sha256());
        assertThat(digestOf(rootDirectory().resolve("copies/optimizer+state %41.bin"))).isEqualTo(largeContent.sha256());
    }

    @Test
    public void serverSideCopyReplacesWhatTheTargetHeld() throws IOException {
        Location source = rootDirectory().resolve("source.bin");
        Location target = rootDirectory().resolve("target.bin");
        TestContent content = new TestContent(22, 1000);
        write(source, content);
        write(target, new TestContent(23, 5000));

        assertThat(copier().copy(source, target, NEVER)).isTrue();

        assertThat(digestOf(target)).isEqualTo(content.sha256());
    }

    @Test
    public void serverSideCopyOfAMissingSourceFailsWithNotFound() {
        assertFailsWith(StorageErrorKind.NOT_FOUND,
                () -> copier().copy(rootDirectory().resolve("missing.bin"), rootDirectory().resolve("target.bin"), NEVER));
        assertThat(fileSystem().stat(rootDirectory().resolve("target.bin"))).isEmpty();
    }

    @Test
    public void aServerSideCopyAskedToStopBeforeItStartsLeavesTheTargetAsItWas() throws IOException {
        Location source = rootDirectory().resolve("stop/source.bin");
        Location target = rootDirectory().resolve("stop/target.bin");
        TestContent previous = new TestContent(25, 5000);
        write(source, new TestContent(24, 1000));
        write(target, previous);

        assertThat(copier().copy(source, target, () -> true)).as("completed").isFalse();

        assertThat(digestOf(target)).isEqualTo(previous.sha256());
    }

    @Test
    public void aServerSideCopyStoppedBetweenItsRequestsLeavesTheTargetAsItWas() throws IOException {
        Location source = rootDirectory().resolve("stopped/source.bin");
        Location target = rootDirectory().resolve("stopped/target.bin");
        TestContent content = new TestContent(26, largeFileSize());
        TestContent previous = new TestContent(27, 5000);
        write(source, content);
        write(target, previous);
        AtomicInteger asked = new AtomicInteger();

        boolean completed = copier().copy(source, target, () -> asked.incrementAndGet() > 1);

        assertThat(asked).as("times the copy asked whether to stop").hasValueGreaterThan(0);
        if (copiesLargeFilesInSeveralRequests()) {
            assertThat(completed).as("completed").isFalse();
            assertThat(digestOf(target)).isEqualTo(previous.sha256());
        }
        else {
            // One request, which the question before it let through.
            assertThat(completed).as("completed").isTrue();
            assertThat(digestOf(target)).isEqualTo(content.sha256());
        }
        assertThat(digestOf(source)).isEqualTo(content.sha256());
    }

    /**
     * Whether copying a file of {@link #largeFileSize()} takes several requests here (S3 parts, Azure
     * blocks, GCS rewrite calls), each asking first whether to stop; otherwise it is one request.
     */
    protected abstract boolean copiesLargeFilesInSeveralRequests();

    private ServerSideCopy copier() {
        assertThat(fileSystem()).isInstanceOf(ServerSideCopy.class);
        return (ServerSideCopy) fileSystem();
    }

    private io.roam.storage.Checksum digestOf(Location file) throws IOException {
        try (InputStream stream = fileSystem().openRead(file, 0)) {
            return TestContent.sha256Of(stream);
        }
    }
}
