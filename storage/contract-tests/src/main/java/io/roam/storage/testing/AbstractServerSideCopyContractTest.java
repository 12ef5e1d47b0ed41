package io.roam.storage.testing;

import static io.roam.storage.testing.AbstractStorageFileSystemContractTest.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.roam.storage.Location;
import io.roam.storage.ServerSideCopy;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * The behaviour of the {@link ServerSideCopy} capability, run by a subclass for every backend that
 * has it, against the same real server as its {@link AbstractStorageFileSystemContractTest}.
 */
public abstract class AbstractServerSideCopyContractTest {

    /** The file system under test; it implements {@link ServerSideCopy}. */
    protected abstract StorageFileSystem fileSystem();

    /** A fresh, empty directory location per test, served by {@link #fileSystem()}. */
    protected abstract Location rootDirectory();

    /** Larger than one part, so that backends copying part by part (S3 UploadPartCopy) do so. */
    protected long largeFileSize() {
        return 12L * 1024 * 1024;
    }

    @Test
    public void copiesAFileWithoutChangingTheSource() throws IOException {
        Location source = rootDirectory().resolve("copy/source.bin");
        Location target = rootDirectory().resolve("copy/nested/target.bin");
        TestContent content = new TestContent(21, largeFileSize());
        write(source, content);

        copier().copy(source, target);

        assertThat(digestOf(target)).isEqualTo(content.sha256());
        assertThat(digestOf(source)).isEqualTo(content.sha256());
    }

    @Test
    public void copyReplacesWhatTheTargetHeld() throws IOException {
        Location source = rootDirectory().resolve("source.bin");
        Location target = rootDirectory().resolve("target.bin");
        TestContent content = new TestContent(22, 1000);
        write(source, content);
        write(target, new TestContent(23, 5000));

        copier().copy(source, target);

        assertThat(digestOf(target)).isEqualTo(content.sha256());
    }

    @Test
    public void copyOfAMissingSourceFailsWithNotFound() {
        assertFailsWith(StorageErrorKind.NOT_FOUND,
                () -> copier().copy(rootDirectory().resolve("missing.bin"), rootDirectory().resolve("target.bin")));
        assertThat(fileSystem().stat(rootDirectory().resolve("target.bin"))).isEmpty();
    }

    private ServerSideCopy copier() {
        assertThat(fileSystem()).isInstanceOf(ServerSideCopy.class);
        return (ServerSideCopy) fileSystem();
    }

    private void write(Location file, TestContent content) throws IOException {
        try (InputStream source = content.newInputStream(); StorageOutputStream stream = fileSystem().openWrite(file)) {
            source.transferTo(stream);
        }
    }

    private io.roam.storage.Checksum digestOf(Location file) throws IOException {
        try (InputStream stream = fileSystem().openRead(file, 0)) {
            return TestContent.sha256Of(stream);
        }
    }
}
