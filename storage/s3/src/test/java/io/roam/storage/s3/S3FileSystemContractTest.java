package io.roam.storage.s3;

import io.roam.storage.Location;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.s3.testing.S3ProxyServer;
import io.roam.storage.testing.AbstractServerSideCopyContractTest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract against S3Proxy, over each HTTP client the profile can choose, with the smallest part size
 * S3 allows and small listing pages, so that the 12 MiB large file is uploaded in three parts and the
 * 250-file listing spans three pages. The multipart copy threshold is lowered to 5 MiB for the
 * {@linkplain AbstractServerSideCopyContractTest server-side copies}.
 */
class S3FileSystemContractTest {

    private static final String BUCKET = "roam-contract";

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
    class OverApacheHttpClient extends Contract {
        OverApacheHttpClient() {
            super("apache");
        }
    }

    @Nested
    class OverCrtHttpClient extends Contract {
        OverCrtHttpClient() {
            super("crt");
        }
    }

    abstract static class Contract extends AbstractServerSideCopyContractTest {

        private final StorageFileSystem fileSystem;
        private final Location root = Location.parse("s3://%s/%s/".formatted(BUCKET, UUID.randomUUID()));

        Contract(String httpClient) {
            fileSystem = new S3StorageBackend().create(server.profile("contract", List.of(Location.parse("s3://" + BUCKET + "/")),
                    Map.of("part-size", "5MiB", "list-page-size", "100", "multipart-copy-threshold", "5MiB", "http-client", httpClient)));
        }

        @AfterEach
        void closeFileSystem() {
            fileSystem.close();
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
        protected boolean copiesLargeFilesInSeveralRequests() {
            // multipart-copy-threshold 5MiB: UploadPartCopy, one request per 5 MiB.
            return true;
        }
    }
}
