package io.roam.infrastructure;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Stands in for a packaged Quarkus application: serves {@code /q/health/ready}, {@code /greeting} (the
 * {@code greeting} system property) and {@code /environment/<NAME>} (the environment variable, where Quarkus would
 * read {@code quarkus.datasource.password} as {@code QUARKUS_DATASOURCE_PASSWORD}) on
 * {@code quarkus.http.host}:{@code quarkus.http.port}, or exits at once with status 3 when {@code fake.fail} is true.
 */
public final class FakeQuarkusApplication {

    private FakeQuarkusApplication() {
    }

    public static void main(String[] arguments) throws IOException {
        if (Boolean.getBoolean("fake.fail")) {
            System.out.println("fake start-up failure: missing configuration");
            System.exit(3);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(System.getProperty("quarkus.http.host"),
                Integer.getInteger("quarkus.http.port")), 0);
        server.createContext("/q/health/ready", exchange -> respond(exchange, "UP"));
        server.createContext("/greeting", exchange -> respond(exchange, System.getProperty("greeting")));
        server.createContext("/environment/", exchange -> respond(exchange,
                String.valueOf(System.getenv(exchange.getRequestURI().getPath().substring("/environment/".length())))));
        server.start();
        System.out.println("fake application started");
    }

    private static void respond(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream response = exchange.getResponseBody()) {
            response.write(bytes);
        }
    }
}
