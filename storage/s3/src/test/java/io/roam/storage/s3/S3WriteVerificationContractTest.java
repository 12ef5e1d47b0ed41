package io.roam.storage.s3;

import io.roam.storage.Location;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.s3.testing.S3ProxyServer;
import io.roam.storage.testing.AbstractWriteVerificationContractTest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * Written objects verified by what S3Proxy keeps for them, with S3's smallest part size: the CRC32C it
 * checked (the default upload checksum), and the ETag it computed when uploads carry an MD5 or nothing.
 */
class S3WriteVerificationContractTest {

    private static final String BUCKET = "roam-verify";
    private static final int PART_SIZE = 5 * 1024 * 1024;

    @TempDir
    static Path workDirectory;

    private static S3ProxyServer server;

    @BeforeAll
    static void startServer() {
        server = S3ProxyServer.start(workDirectory);
        server.createBucket(BUCKET);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Nested
    class WithCrc32cUploads extends Contract {
        WithCrc32cUploads() {
            super("crc32c");
        }
    }

    @Nested
    class WithMd5Uploads extends Contract {
        WithMd5Uploads() {
            super("md5");
        }
    }

    @Nested
    class WithoutUploadChecksums extends Contract {
        WithoutUploadChecksums() {
            super("none");
        }
    }

    abstract static class Contract extends AbstractWriteVerificationContractTest {

        private final String uploadChecksum;
        private final Location root = Location.parse("s3://%s/%s/".formatted(BUCKET, UUID.randomUUID()));

        Contract(String uploadChecksum) {
            this.uploadChecksum = uploadChecksum;
        }

        @Override
        protected StorageFileSystem newFileSystem() {
            return new S3StorageBackend().create(server.profile("verify", List.of(Location.parse("s3://" + BUCKET + "/")),
                    Map.of("part-size", "5MiB", "upload-concurrency", "1", "upload-checksum", uploadChecksum)));
        }

        @Override
        protected Location rootDirectory() {
            return root;
        }

        @Override
        protected int partSize() {
            return PART_SIZE;
        }

        @Override
        protected boolean answersWritesWithTheStoredChecksum() {
            return true;
        }
    }
}
