package io.roam.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;
import io.roam.storage.StorageProfile;
import io.roam.storage.StorageRouter;
import io.roam.storage.local.LocalStorageBackend;
import io.roam.storage.s3.S3StorageBackend;
import io.roam.storage.s3.testing.S3ProxyServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source that does not exist fails the plan with {@link SourceNotFoundException}, whether its store has
 * nothing under it or has not even its bucket (S3Proxy), so that whoever recorded a copy there learns it is gone.
 */
class MissingSourceTest {

    private static final String BUCKET = "roam-engine-sources";

    @TempDir
    static Path serverDirectory;

    @TempDir
    static Path local;

    private static S3ProxyServer s3;
    private static StorageRouter router;
    private static TransferEngine engine;

    @BeforeAll
    static void start() {
        s3 = S3ProxyServer.start(serverDirectory);
        s3.createBucket(BUCKET);
        router = new StorageRouter(List.of(
                new StorageProfile("local", "local", List.of(Location.parse("file://" + local + "/")), Optional.empty(), Optional.empty(),
                        Map.of()),
                s3.profile("s3", List.of(Location.parse("s3://" + BUCKET + "/"), Location.parse("s3://no-such-bucket/")), Map.of())),
                List.of(new LocalStorageBackend(), new S3StorageBackend()));
        engine = new TransferEngine(router, new TransferOptions(2, 64 * 1024, new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5)),
                1024 * 1024, 3, 6));
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void aPrefixWithNothingUnderItIsAMissingSource() {
        Location missing = Location.parse("s3://" + BUCKET + "/no-such-run/checkpoint-1/");

        assertThatThrownBy(() -> engine.plan(missing, Location.parse("file://" + local + "/target/")))
                .isInstanceOf(SourceNotFoundException.class)
                .hasMessage("source '%s' does not exist: no file there and no files under it", missing);
    }

    @Test
    void aSourceInABucketThatDoesNotExistIsAMissingSource() {
        Location missing = Location.parse("s3://no-such-bucket/run/checkpoint-1/");

        assertThatThrownBy(() -> engine.plan(missing, Location.parse("file://" + local + "/target/")))
                .isInstanceOf(SourceNotFoundException.class)
                .hasMessageStartingWith("source '%s' does not exist: ".formatted(missing))
                .satisfies(failure -> assertThat(((StorageException) failure).retryable()).isFalse())
                .cause().isInstanceOfSatisfying(StorageException.class, cause -> assertThat(cause.kind()).isEqualTo(StorageErrorKind.NOT_FOUND));
    }
}
