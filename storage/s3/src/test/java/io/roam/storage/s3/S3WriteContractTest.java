package io.roam.storage.s3;

import io.roam.storage.Location;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.s3.testing.S3ProxyServer;
import io.roam.storage.testing.AbstractResumableWriteContractTest;
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
 * The write capabilities of S3 against one S3Proxy, with S3's smallest part size and one part in flight
 * at a time: resumed multipart uploads, and written objects verified by what S3Proxy keeps for them — the
 * CRC32C it checked (the default upload checksum), or the ETag it computed when uploads carry an MD5 or
 * nothing.
 */
class S3WriteContractTest {

    private static final String BUCKET = "roam-writes";
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
    class ResumedWrites extends AbstractResumableWriteContractTest {

        private final Location root = newRoot();

        @Override
        protected StorageFileSystem newFileSystem() {
            return S3WriteContractTest.newFileSystem("crc32c");
        }

        @Override
        protected Location rootDirectory() {
            return root;
        }

        @Override
        protected int partSize() {
            return PART_SIZE;
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

    private static StorageFileSystem newFileSystem(String uploadChecksum) {
        return new S3StorageBackend().create(server.profile("writes", List.of(Location.parse("s3://" + BUCKET + "/")),
                Map.of("part-size", "5MiB", "upload-concurrency", "1", "upload-checksum", uploadChecksum)));
    }

    private static Location newRoot() {
        return Location.parse("s3://%s/%s/".formatted(BUCKET, UUID.randomUUID()));
    }

    /** Written objects verified, with each upload checksum. */
    abstract static class Contract extends AbstractWriteVerificationContractTest {

        private final String uploadChecksum;
        private final Location root = newRoot();

        Contract(String uploadChecksum) {
            this.uploadChecksum = uploadChecksum;
        }

        @Override
        protected StorageFileSystem newFileSystem() {
            return S3WriteContractTest.newFileSystem(uploadChecksum);
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
