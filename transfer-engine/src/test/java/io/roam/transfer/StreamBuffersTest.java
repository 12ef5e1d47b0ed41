package io.roam.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamBuffersTest {

    private final StreamBuffers buffers = new StreamBuffers(4096);

    @Test
    void givesBuffersOfItsSize() {
        assertThat(buffers.take()).hasSize(4096);
    }

    @Test
    void givesAReleasedBufferToTheNextFileInsteadOfAllocatingOne() {
        byte[] first = buffers.take();
        buffers.release(first);

        assertThat(buffers.take()).isSameAs(first);
    }

    @Test
    void givesBuffersInUseToNoOneElse() {
        byte[] first = buffers.take();
        byte[] second = buffers.take();

        assertThat(second).isNotSameAs(first);
    }

    @Test
    void keepsNoMoreBuffersThanWereInUseAtOnce() {
        byte[] first = buffers.take();
        byte[] second = buffers.take();
        buffers.release(first);
        buffers.release(second);

        byte[] again = buffers.take();
        byte[] againToo = buffers.take();
        byte[] third = buffers.take();

        assertThat(again).isSameAs(first);
        assertThat(againToo).isSameAs(second);
        assertThat(third).isNotSameAs(first).isNotSameAs(second);
    }
}
