package io.roam.infrastructure.quarkus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

class KafkaTestResourceTest {

    @Test
    void startsABrokerThatAnswersAtTheReturnedBootstrapServersAndStopsIt() throws Exception {
        KafkaTestResource resource = new KafkaTestResource();
        resource.init(Map.of());
        String bootstrapServers;
        try {
            bootstrapServers = resource.start().get("kafka.bootstrap.servers");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
            }
        }
        finally {
            resource.stop();
        }

        assertThatThrownBy(() -> connect(bootstrapServers)).isInstanceOf(IOException.class);
    }

    @Test
    void returnsTheBootstrapServersOfAnExternalBrokerWithoutStartingOne() {
        KafkaTestResource resource = new KafkaTestResource();
        resource.init(Map.of("bootstrap-servers", "kafka.example:9092"));

        assertThat(resource.start()).containsExactly(Map.entry("kafka.bootstrap.servers", "kafka.example:9092"));
        resource.stop();
    }

    private static void connect(String hostAndPort) throws IOException {
        String[] parts = hostAndPort.split(":");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(parts[0], Integer.parseInt(parts[1])), 1_000);
        }
    }
}
