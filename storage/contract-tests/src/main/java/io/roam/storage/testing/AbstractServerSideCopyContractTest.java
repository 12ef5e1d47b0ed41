package io.roam.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.roam.storage.Location;
import io.roam.storage.ServerSideCopy;
import io.roam.storage.StorageErrorKind;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * The whole file system contract plus the behaviour of the {@link ServerSideCopy} capability: the
 * suite a backend with server-side copy extends instead of {@link AbstractStorageFileSystemContractTest}.
 * The copied file is {@link #largeFileSize()} long, so that backends copying part by part (S3
 * UploadPartCopy) do so.
 */
public abstract class AbstractServerSideCopyContractTest extends AbstractStorageFileSystemContractTest {

    @Test
    public void serverSideCopyDuplicatesAFileWithoutChangingTheSource() throws IOException {
        Location source = rootDirectory().resolve("copy/source.bin");
        Location target = rootDirectory().resolve("copy/nested/target.bin");
        TestContent content = new TestContent(21, largeFileSize());
        write(source, content);

        copier().copy(source, target);

        assertThat(digestOf(target)).isEqualTo(content.sha256());
        assertThat(digestOf(source)).isEqualTo(content.sha256());
    }

    @Test
    public void serverSideCopyReplacesWhatTheTargetHeld() throws IOException {
        Location source = rootDirectory().resolve("source.bin");
        Location target = rootDirectory().resolve("target.bin");
        TestContent content = new TestContent(22, 1000);
        write(source, content);
        write(target, new TestContent(23, 5000));

        copier().copy(source, target);

        assertThat(digestOf(target)).isEqualTo(content.sha256());
    }

    @Test
    public void serverSideCopyOfAMissingSourceFailsWithNotFound() {
        assertFailsWith(StorageErrorKind.NOT_FOUND,
                () -> copier().copy(rootDirectory().resolve("missing.bin"), rootDirectory().resolve("target.bin")));
        assertThat(fileSystem().stat(rootDirectory().resolve("target.bin"))).isEmpty();
    }

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
