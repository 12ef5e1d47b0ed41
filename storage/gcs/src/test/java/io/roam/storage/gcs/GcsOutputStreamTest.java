package io.roam.storage.gcs;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.cloud.RestorableState;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;

import io.roam.storage.BufferPool;
import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageErrors;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a write of several chunks is sent: each full chunk on a request of its own while the next one fills,
 * one request at a time and in order, and never finalized after a failure or an abort. The session here is
 * an in-memory fake of the client's {@link WriteChannel}, which lets a test hold a chunk's request open or
 * fail it; the same stream against a real server is covered by {@link GcsFileSystemTest} and the contract
 * suites.
 */
class GcsOutputStreamTest {

    private static final int CHUNK_SIZE = 256 * 1024;
    private static final Location FILE = Location.parse("gs://bucket/checkpoint.bin");

    private final FakeSession session = new FakeSession();
    private final GcsOutputStream stream = new GcsOutputStream(FILE, storageOpening(session),
            BlobInfo.newBuilder("bucket", "checkpoint.bin").build(), CHUNK_SIZE, new BufferPool(BufferPool.DEFAULT_RETAINED_BYTES));

    @AfterEach
    void letHeldRequestsEnd() {
        session.release();
    }

    @Test
    void theNextChunkIsFilledWhileThePreviousOneIsBeingSent() throws IOException {
        byte[] content = content(3 * CHUNK_SIZE + 1000);
        session.holdRequests();

        stream.write(content, 0, CHUNK_SIZE);
        stream.write(content, CHUNK_SIZE, CHUNK_SIZE - 1);

        await().atMost(10, SECONDS).until(() -> session.requestsStarted.get() == 1);
        assertThat(session.received.size()).as("bytes the session has taken while its first request is held").isZero();

        session.release();
        stream.write(content, 2 * CHUNK_SIZE - 1, content.length - (2 * CHUNK_SIZE - 1));
        stream.close();

        assertThat(session.received.toByteArray()).isEqualTo(content);
        assertThat(session.finalized).isTrue();
        assertThat(session.mostRequestsAtOnce.get()).as("requests of the session at once").isEqualTo(1);
    }

    @Test
    void theChunksOfALongWriteTakeTurnsInTwoBuffers() throws IOException {
        byte[] content = content(7 * CHUNK_SIZE + 5);
        // A pool that keeps nothing: each buffer taken from it is a new one.
        GcsOutputStream writer = new GcsOutputStream(FILE, storageOpening(session), BlobInfo.newBuilder("bucket", "checkpoint.bin").build(),
                CHUNK_SIZE, new BufferPool(0));

        writer.write(content, 0, content.length);
        writer.close();

        assertThat(session.received.toByteArray()).isEqualTo(content);
        assertThat(session.fullChunkBuffers).as("buffers the seven full chunks were sent from").hasSize(2);
    }

    @Test
    void aStreamHoldsAtMostTwoChunksAndWaitsForTheRequestInFlightBeforeHandingOverAnother() throws Exception {
        byte[] content = content(3 * CHUNK_SIZE);
        session.holdRequests();
        stream.write(content, 0, 2 * CHUNK_SIZE - 1);

        CompletableFuture<Void> thirdChunk = CompletableFuture.runAsync(() -> writeUnchecked(content, 2 * CHUNK_SIZE - 1, CHUNK_SIZE + 1));

        // Nothing to wait for here but time: the write must still be waiting after a while.
        await().during(Duration.ofMillis(300)).atMost(5, SECONDS).until(() -> !thirdChunk.isDone());
        assertThat(session.requestsStarted).hasValue(1);
        session.release();
        thirdChunk.get(10, SECONDS);
        stream.close();
        assertThat(session.received.toByteArray()).isEqualTo(content);
    }

    @Test
    void aChunkThatFailedToSendFailsTheNextWriteAsClassifiedAndTheSessionIsNeverFinalized() throws IOException {
        byte[] content = content(3 * CHUNK_SIZE);
        session.failRequestsWith(new StorageException(403, "Forbidden"));
        stream.write(content, 0, CHUNK_SIZE);

        assertThatThrownBy(() -> stream.write(content, CHUNK_SIZE, 2 * CHUNK_SIZE))
                .isInstanceOf(IOException.class)
                .satisfies(failure -> assertThat(StorageErrors.classify(failure).kind()).isEqualTo(StorageErrorKind.ACCESS_DENIED));
        stream.close();
        assertThat(session.finalized).isFalse();
    }

    @Test
    void aChunkThatFailedToSendFailsCloseAndTheSessionIsNeverFinalized() throws IOException {
        byte[] content = content(CHUNK_SIZE + 10);
        session.failRequestsWith(new StorageException(503, "Service Unavailable"));
        stream.write(content, 0, content.length);

        assertThatThrownBy(stream::close)
                .isInstanceOf(IOException.class)
                .satisfies(failure -> assertThat(StorageErrors.classify(failure).kind()).isEqualTo(StorageErrorKind.TRANSIENT));
        assertThat(session.finalized).isFalse();
    }

    @Test
    void abortInterruptsTheRequestInFlightAndNeverFinalizes() throws IOException {
        byte[] content = content(CHUNK_SIZE + 10);
        session.holdRequests();
        stream.write(content, 0, content.length);
        await().atMost(10, SECONDS).until(() -> session.requestsStarted.get() == 1);

        stream.abort();

        await().atMost(10, SECONDS).untilTrue(session.requestInterrupted);
        stream.close();
        assertThat(session.finalized).isFalse();
        assertThatThrownBy(() -> stream.write(content, 0, 1)).isInstanceOf(IOException.class);
    }

    private void writeUnchecked(byte[] bytes, int offset, int length) {
        try {
            stream.write(bytes, offset, length);
        }
        catch (IOException failure) {
            throw new IllegalStateException(failure);
        }
    }

    private static byte[] content(int size) {
        byte[] content = new byte[size];
        for (int index = 0; index < size; index++) {
            content[index] = (byte) (index * 31 + index / 7);
        }
        return content;
    }

    /** A client whose only used method, {@code writer}, opens the given session. */
    private static Storage storageOpening(WriteChannel session) {
        return (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class}, (proxy, method, arguments) -> {
            if (method.getName().equals("writer") && arguments.length == 2 && arguments[0] instanceof BlobInfo) {
                return session;
            }
            throw new UnsupportedOperationException(method.getName());
        });
    }

    /** The session of a resumable upload, in memory: each {@code write} is one request, which a test may hold or fail. */
    private static final class FakeSession implements WriteChannel {

        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final AtomicInteger requestsStarted = new AtomicInteger();
        final AtomicInteger mostRequestsAtOnce = new AtomicInteger();
        final AtomicBoolean requestInterrupted = new AtomicBoolean();
        /** The arrays behind the full chunks the session was given, told apart by identity. */
        final Set<byte[]> fullChunkBuffers = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        private final AtomicInteger requestsAtOnce = new AtomicInteger();
        private volatile CountDownLatch held = new CountDownLatch(0);
        private volatile RuntimeException failure;
        volatile boolean finalized;

        void holdRequests() {
            held = new CountDownLatch(1);
        }

        void release() {
            held.countDown();
        }

        void failRequestsWith(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public int write(ByteBuffer source) {
            requestsStarted.incrementAndGet();
            mostRequestsAtOnce.accumulateAndGet(requestsAtOnce.incrementAndGet(), Math::max);
            try {
                if (!held.await(30, SECONDS)) {
                    throw new IllegalStateException("a held request was never released");
                }
                if (failure != null) {
                    throw failure;
                }
                int length = source.remaining();
                if (length == CHUNK_SIZE && source.hasArray()) {
                    fullChunkBuffers.add(source.array());
                }
                byte[] bytes = new byte[length];
                source.get(bytes);
                received.write(bytes, 0, length);
                return length;
            }
            catch (InterruptedException interrupted) {
                requestInterrupted.set(true);
                throw new IllegalStateException("request interrupted", interrupted);
            }
            finally {
                requestsAtOnce.decrementAndGet();
            }
        }

        @Override
        public boolean isOpen() {
            return !finalized;
        }

        @Override
        public void close() {
            finalized = true;
        }

        @Override
        public void setChunkSize(int chunkSize) {
            assertThat(chunkSize).isEqualTo(CHUNK_SIZE);
        }

        @Override
        public RestorableState<WriteChannel> capture() {
            throw new UnsupportedOperationException("capture");
        }
    }
}
