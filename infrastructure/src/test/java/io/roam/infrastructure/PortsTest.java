package io.roam.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void aFreePortCanBeBoundOnTheLoopbackAddress() throws IOException {
        int port = Ports.freePort();

        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void severalFreePortsAreDistinct() {
        assertThat(Ports.freePorts(5)).hasSize(5).doesNotHaveDuplicates().allSatisfy(port ->
                assertThat(port).isBetween(1, 65_535));
    }

    @Test
    void askingForNoPortIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Ports.freePorts(0));
    }
}
