package io.roam.storage.hdfs;

import io.roam.storage.Location;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.hdfs.testing.HdfsServer;
import io.roam.storage.testing.AbstractStorageFileSystemContractTest;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract against a real HDFS cluster. Blocks are 1 MiB (HDFS's smallest), so that the large file
 * spans many blocks, each written through its own data node pipeline.
 */
class HdfsFileSystemContractTest extends AbstractStorageFileSystemContractTest {

    private static final int MEBIBYTE = 1024 * 1024;

    @TempDir
    static Path workDirectory;

    private static HdfsServer server;
    private static StorageFileSystem fileSystem;

    private Location root;

    @BeforeAll
    static void startServer() {
        server = HdfsServer.start(workDirectory);
        fileSystem = new HdfsStorageBackend().create(server.profile("contract", Map.of("hadoop.dfs.blocksize", String.valueOf(MEBIBYTE))));
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
        root = server.rootLocation().resolve("test-" + UUID.randomUUID() + "/");
    }

    @Override
    protected StorageFileSystem fileSystem() {
        return fileSystem;
    }

    @Override
    protected Location rootDirectory() {
        return root;
    }

    @Override
    protected long largeFileSize() {
        return 12L * MEBIBYTE + 12345;
    }
}
