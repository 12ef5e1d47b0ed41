package io.roam.storage.sftp;

import io.roam.storage.Location;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.sftp.testing.SftpServer;
import io.roam.storage.testing.AbstractStorageFileSystemContractTest;

import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The contract against a real SFTP server, with password authentication and one file system shared by all tests. */
class SftpFileSystemContractTest extends AbstractStorageFileSystemContractTest {

    @TempDir
    static Path workDirectory;

    private static SftpServer server;
    private static StorageFileSystem fileSystem;

    private Location root;

    @BeforeAll
    static void startServer() throws Exception {
        server = SftpServer.start(workDirectory);
        fileSystem = new SftpStorageBackend().create(server.profile("sftp-contract"));
    }

    @AfterAll
    static void stopServer() {
        if (fileSystem != null) {
            fileSystem.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void createRoot() {
        root = server.location("contract-" + UUID.randomUUID() + "/");
    }

    @Override
    protected StorageFileSystem fileSystem() {
        return fileSystem;
    }

    @Override
    protected Location rootDirectory() {
        return root;
    }
}
