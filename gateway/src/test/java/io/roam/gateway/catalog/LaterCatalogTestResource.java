package io.roam.gateway.catalog;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Stands in for a catalog of a later release, which the running one cannot be: it answers {@code GET
 * /v1/transfers/{id}} with a transfer that carries fields this gateway does not know, as a catalog upgraded before
 * the gateways would during a rolling upgrade. Only the JSON shape matters here; everything else about the catalog is
 * tested against the real one.
 */
public final class LaterCatalogTestResource implements QuarkusTestResourceLifecycleManager {

    static final String TRANSFER_ID = "6f1d9a4e-2b1c-4d8e-9a3f-5c7e1b2d4f60";

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        }
        catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
        server.createContext("/v1/transfers/" + TRANSFER_ID, exchange -> {
            byte[] body = """
                    {"id":"%s","artifactId":"0b6c2f3e-8d7a-4e5b-9c1d-2e3f4a5b6c7d","project":"llm","purpose":"REPLICATION",
                     "source":"file:///data/a/","target":"file:///replica/a/","state":"RUNNING","bytesDone":1024,"bytesTotal":4096,
                     "filesDone":1,"filesTotal":4,"bytesPerSecond":512,"bytesSkipped":0,"bytesResumed":0,"error":null,
                     "createdAt":"2026-11-28T00:00:00Z","updatedAt":"2026-11-28T00:00:01Z",
                     "fieldOfALaterRelease":{"nested":true}}
                    """.formatted(TRANSFER_ID).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream output = exchange.getResponseBody()) {
                output.write(body);
            }
        });
        server.start();
        return Map.of("quarkus.rest-client.catalog.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }
}
