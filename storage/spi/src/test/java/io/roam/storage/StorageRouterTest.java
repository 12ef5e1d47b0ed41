package io.roam.storage;

import static io.roam.storage.StorageProfileTest.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roam.storage.FakeStorageBackend.FakeFileSystem;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class StorageRouterTest {

    private final FakeStorageBackend backend = new FakeStorageBackend();

    @Test
    void routesToTheProfileWithTheMostSpecificRoot() {
        try (StorageRouter router = new StorageRouter(
                List.of(profile("data", "fake", "/data/"), profile("models", "fake", "file:///data/models/"), profile("bucket", "fake", "s3://bucket")),
                List.of(backend))) {
            assertThat(router.profileFor(Location.parse("/data/datasets/a.bin")).name()).isEqualTo("data");
            assertThat(router.profileFor(Location.parse("/data/models/llm/weights.bin")).name()).isEqualTo("models");
            assertThat(router.profileFor(Location.parse("file:///data/models-old/x")).name()).isEqualTo("data");
            assertThat(router.profileFor(Location.parse("s3://bucket/a")).name()).isEqualTo("bucket");
        }
    }

    @Test
    void refusesLocationsNoProfileServes() {
        try (StorageRouter router = new StorageRouter(List.of(profile("a", "fake", "/a/"), profile("b", "fake", "s3://b/")), List.of(backend))) {
            assertThatThrownBy(() -> router.profileFor(Location.parse("s3://elsewhere/x")))
                    .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.INVALID_LOCATION))
                    .hasMessage("no storage profile serves 's3://elsewhere/x'; configured profiles: a, b");
            assertThatThrownBy(() -> router.fileSystem(Location.parse("/b/x")))
                    .isInstanceOf(StorageException.class)
                    .hasMessage("no storage profile serves '/b/x'; configured profiles: a, b");
        }
    }

    @Test
    void createsOneFileSystemPerProfileOnFirstUse() {
        try (StorageRouter router = new StorageRouter(List.of(profile("a", "fake", "/a/"), profile("b", "fake", "/b/")), List.of(backend))) {
            assertThat(backend.created()).isEmpty();

            StorageFileSystem first = router.fileSystem(Location.parse("/a/x"));
            StorageFileSystem second = router.fileSystem(Location.parse("file:///a/y/z"));
            StorageFileSystem other = router.fileSystem(Location.parse("/b/x"));

            assertThat(second).isSameAs(first);
            assertThat(other).isNotSameAs(first);
            assertThat(backend.created()).extracting(fileSystem -> fileSystem.profile().name()).containsExactly("a", "b");
        }
    }

    @Test
    void createsOnlyOneFileSystemUnderConcurrentFirstUse() throws Exception {
        int threads = 8;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try (StorageRouter router = new StorageRouter(List.of(profile("a", "fake", "/a/")), List.of(backend))) {
            CountDownLatch start = new CountDownLatch(1);
            Callable<StorageFileSystem> lookup = () -> {
                start.await();
                return router.fileSystem(Location.parse("/a/x"));
            };
            List<Future<StorageFileSystem>> results = IntStream.range(0, threads).mapToObj(ignored -> executor.submit(lookup)).toList();
            start.countDown();

            for (Future<StorageFileSystem> result : results) {
                assertThat(result.get()).isSameAs(backend.created().getFirst());
            }
            assertThat(backend.created()).hasSize(1);
        }
        finally {
            executor.shutdownNow();
        }
    }

    @Test
    void closeClosesTheCreatedFileSystemsAndRefusesFurtherUse() {
        StorageRouter router = new StorageRouter(List.of(profile("a", "fake", "/a/")), List.of(backend));
        router.fileSystem(Location.parse("/a/x"));

        router.close();

        assertThat(backend.created()).allMatch(FakeFileSystem::closed);
        assertThatThrownBy(() -> router.fileSystem(Location.parse("/a/x")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("storage router is closed");
    }

    @Test
    void refusesAProfileWhoseBackendIsNotAvailable() {
        assertThatThrownBy(() -> new StorageRouter(List.of(profile("training", "s3", "s3://bucket/")), List.of(backend, new FakeStorageBackend("local"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("storage profile 'training' uses backend 's3', which is not available; available backends: fake, local");
    }

    @Test
    void refusesTwoProfilesWithTheSameName() {
        assertThatThrownBy(() -> new StorageRouter(List.of(profile("a", "fake", "/a/"), profile("a", "fake", "/b/")), List.of(backend)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("two storage profiles are named 'a'");
    }

    @Test
    void refusesTwoProfilesWithTheSameRoot() {
        assertThatThrownBy(() -> new StorageRouter(List.of(profile("a", "fake", "/data/"), profile("b", "fake", "file:///data/")), List.of(backend)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("root 'file:///data/' is configured in both storage profiles 'a' and 'b'");
    }

    @Test
    void refusesTwoBackendsWithTheSameName() {
        assertThatThrownBy(() -> new StorageRouter(List.of(), List.of(backend, new FakeStorageBackend("fake"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("two storage backends are named 'fake': io.roam.storage.FakeStorageBackend and io.roam.storage.FakeStorageBackend");
    }

    @Test
    void findsBackendsWithTheServiceLoader() {
        try (StorageRouter router = new StorageRouter(List.of(profile("a", "fake", "/a/")))) {
            assertThat(router.fileSystem(Location.parse("/a/x"))).isInstanceOf(FakeFileSystem.class);
        }
    }
}
