package io.roam.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BufferPoolTest {

    private static final int PART_SIZE = 8 * 1024 * 1024;

    @Test
    void sizesBuffersInPowersOfTwoFromTheSmallestUpToThePartSize() {
        assertThat(BufferPool.sizeFor(1, PART_SIZE)).isEqualTo(BufferPool.SMALLEST);
        assertThat(BufferPool.sizeFor(BufferPool.SMALLEST, PART_SIZE)).isEqualTo(BufferPool.SMALLEST);
        assertThat(BufferPool.sizeFor(BufferPool.SMALLEST + 1, PART_SIZE)).isEqualTo(2 * BufferPool.SMALLEST);
        assertThat(BufferPool.sizeFor(1024 * 1024, PART_SIZE)).isEqualTo(1024 * 1024);
        assertThat(BufferPool.sizeFor(1024 * 1024 + 1, PART_SIZE)).isEqualTo(2 * 1024 * 1024);
        assertThat(BufferPool.sizeFor(6 * 1024 * 1024, 5 * 1024 * 1024)).isEqualTo(5 * 1024 * 1024);
        assertThat(BufferPool.sizeFor(Integer.MAX_VALUE + 1L, PART_SIZE)).isEqualTo(PART_SIZE);
    }

    @Test
    void givesAReleasedBufferOfTheSameSizeToTheNextStream() {
        BufferPool buffers = new BufferPool(PART_SIZE);
        byte[] released = buffers.take(1024 * 1024);
        buffers.release(released);

        assertThat(buffers.take(512 * 1024)).isNotSameAs(released).hasSize(512 * 1024);
        assertThat(buffers.take(1024 * 1024)).isSameAs(released);
        assertThat(buffers.take(1024 * 1024)).isNotSameAs(released);
    }

    @Test
    void growsABufferKeepingItsBytesAndTakesTheOldOneBack() {
        BufferPool buffers = new BufferPool(PART_SIZE);
        byte[] small = buffers.grow(null, 0, 1000, PART_SIZE);
        small[0] = 1;
        small[999] = 2;

        byte[] grown = buffers.grow(small, 1000, BufferPool.SMALLEST + 1, PART_SIZE);

        assertThat(small).hasSize(BufferPool.SMALLEST);
        assertThat(grown).hasSize(2 * BufferPool.SMALLEST);
        assertThat(grown[0]).isEqualTo((byte) 1);
        assertThat(grown[999]).isEqualTo((byte) 2);
        assertThat(buffers.take(BufferPool.SMALLEST)).isSameAs(small);
    }

    @Test
    void growsAtLeastTwofoldButNeverBeyondTheLargestSize() {
        BufferPool buffers = new BufferPool(PART_SIZE);
        byte[] buffer = buffers.take(4 * 1024 * 1024);

        assertThat(buffers.grow(buffer, 0, buffer.length + 1L, PART_SIZE)).hasSize(PART_SIZE);
        assertThat(buffers.grow(buffers.take(4 * 1024 * 1024), 0, buffer.length + 1L, 5 * 1024 * 1024)).hasSize(5 * 1024 * 1024);
    }

    @Test
    void keepsNoMoreThanItsBudgetForReuse() {
        BufferPool buffers = new BufferPool(2 * 1024 * 1024);
        byte[] first = buffers.take(1024 * 1024);
        byte[] second = buffers.take(1024 * 1024);
        byte[] third = buffers.take(1024 * 1024);
        buffers.release(first);
        buffers.release(second);
        buffers.release(third);

        assertThat(buffers.take(1024 * 1024)).isSameAs(first);
        assertThat(buffers.take(1024 * 1024)).isSameAs(second);
        assertThat(buffers.take(1024 * 1024)).isNotSameAs(third);
    }

    @Test
    void makesRoomInItsBudgetAgainWhenItsBuffersAreTaken() {
        BufferPool buffers = new BufferPool(1024 * 1024);
        byte[] first = buffers.take(1024 * 1024);
        buffers.release(first);
        buffers.take(1024 * 1024);
        byte[] second = buffers.take(1024 * 1024);
        buffers.release(second);

        assertThat(buffers.take(1024 * 1024)).isSameAs(second);
    }
}
