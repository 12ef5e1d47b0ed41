package io.roam.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.NoSuchElementException;

import org.junit.jupiter.api.Test;

class AbstractFileIteratorTest {

    private static final Location DIRECTORY = Location.parse("/data/");
    private static final FileEntry FIRST = new FileEntry(DIRECTORY.resolve("a.bin"), 1, Instant.EPOCH);
    private static final FileEntry SECOND = new FileEntry(DIRECTORY.resolve("b.bin"), 2, Instant.EPOCH);

    /** Hands out the given entries, then null, counting how often it is asked. */
    private static final class QueuedEntriesIterator extends AbstractFileIterator {

        private final Deque<FileEntry> entries;
        private int computations;

        QueuedEntriesIterator(List<FileEntry> entries) {
            super(DIRECTORY);
            this.entries = new ArrayDeque<>(entries);
        }

        @Override
        protected FileEntry computeNext() {
            computations++;
            return entries.poll();
        }
    }

    @Test
    void returnsTheComputedEntriesInOrder() {
        QueuedEntriesIterator iterator = new QueuedEntriesIterator(List.of(FIRST, SECOND));

        assertThat(iterator.hasNext()).isTrue();
        assertThat(iterator.next()).isEqualTo(FIRST);
        assertThat(iterator.next()).isEqualTo(SECOND);
        assertThat(iterator.hasNext()).isFalse();
    }

    @Test
    void computesLazilyAndOncePerEntry() {
        QueuedEntriesIterator iterator = new QueuedEntriesIterator(List.of(FIRST));
        assertThat(iterator.computations).isZero();

        iterator.hasNext();
        iterator.hasNext();
        assertThat(iterator.computations).isOne();

        iterator.next();
        assertThat(iterator.computations).isOne();
    }

    @Test
    void stopsComputingOnceExhausted() {
        QueuedEntriesIterator iterator = new QueuedEntriesIterator(List.of());

        assertThat(iterator.hasNext()).isFalse();
        assertThat(iterator.hasNext()).isFalse();

        assertThat(iterator.computations).isOne();
    }

    @Test
    void nextFailsWhenExhausted() {
        QueuedEntriesIterator iterator = new QueuedEntriesIterator(List.of(FIRST));
        iterator.next();

        assertThatThrownBy(iterator::next)
                .isInstanceOf(NoSuchElementException.class)
                .hasMessage("listing of '/data/' is exhausted");
    }

    @Test
    void failureOfComputeNextPropagatesAndIsRetriedOnTheNextCall() {
        StorageException failure = new StorageException(StorageErrorKind.TRANSIENT, "listing failed");
        AbstractFileIterator iterator = new AbstractFileIterator(DIRECTORY) {
            private boolean failed;

            @Override
            protected FileEntry computeNext() {
                if (!failed) {
                    failed = true;
                    throw failure;
                }
                return FIRST;
            }
        };

        assertThatThrownBy(iterator::hasNext).isSameAs(failure);
        assertThat(iterator.next()).isEqualTo(FIRST);
    }
}
