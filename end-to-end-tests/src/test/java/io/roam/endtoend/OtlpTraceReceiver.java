package io.roam.endtoend;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * An in-memory trace collector for the services under test: an OTLP/HTTP receiver on {@code 127.0.0.1} that
 * keeps every span the services export ({@code http/protobuf}, the only signal they send it), decoded just far enough to tell which
 * service made it, its trace, its name and its string attributes.
 *
 * <p>It reads the protobuf wire format itself (the few fields of {@code ExportTraceServiceRequest} it
 * needs, skipping the others) instead of bringing the OTLP classes and protobuf onto the test classpath.
 */
final class OtlpTraceReceiver implements AutoCloseable {

    /** One exported span: the {@code service.name} of its resource, its trace id in hex, its name and string attributes. */
    record ExportedSpan(String service, String traceId, String name, Map<String, String> attributes) {
    }

    private final HttpServer server;
    private final List<ExportedSpan> spans = new CopyOnWriteArrayList<>();

    private OtlpTraceReceiver(HttpServer server) {
        this.server = server;
    }

    static OtlpTraceReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            OtlpTraceReceiver receiver = new OtlpTraceReceiver(server);
            server.createContext("/", receiver::receive);
            server.start();
            return receiver;
        }
        catch (IOException failure) {
            throw new UncheckedIOException("cannot start the OTLP receiver", failure);
        }
    }

    /** The base URL to give the services as their OTLP endpoint. */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<ExportedSpan> spans() {
        return List.copyOf(spans);
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream input = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody())
                    : exchange.getRequestBody()) {
                body = input.readAllBytes();
            }
            try {
                spans.addAll(exportTraceServiceRequest(new ProtobufReader(body)));
            }
            catch (RuntimeException undecodable) {
                // The exporter logs the refusal: a decoding bug here shows in the services' logs, not as missing spans alone.
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private static List<ExportedSpan> exportTraceServiceRequest(ProtobufReader request) {
        List<ExportedSpan> exported = new ArrayList<>();
        while (request.hasMore()) {
            int field = request.readTag();
            if (field == 1) { // resource_spans
                exported.addAll(resourceSpans(request.readMessage()));
            }
            else {
                request.skip();
            }
        }
        return exported;
    }

    private static List<ExportedSpan> resourceSpans(ProtobufReader resourceSpans) {
        Map<String, String> resource = Map.of();
        List<ProtobufReader> scopes = new ArrayList<>();
        while (resourceSpans.hasMore()) {
            switch (resourceSpans.readTag()) {
                case 1 -> resource = attributes(resourceSpans.readMessage(), 1); // resource.attributes
                case 2 -> scopes.add(resourceSpans.readMessage()); // scope_spans
                default -> resourceSpans.skip();
            }
        }
        String service = resource.getOrDefault("service.name", "");
        List<ExportedSpan> exported = new ArrayList<>();
        for (ProtobufReader scope : scopes) {
            while (scope.hasMore()) {
                if (scope.readTag() == 2) { // spans
                    exported.add(span(service, scope.readMessage()));
                }
                else {
                    scope.skip();
                }
            }
        }
        return exported;
    }

    private static ExportedSpan span(String service, ProtobufReader span) {
        String traceId = "";
        String name = "";
        Map<String, String> attributes = new HashMap<>();
        while (span.hasMore()) {
            switch (span.readTag()) {
                case 1 -> traceId = HexFormat.of().formatHex(span.readBytes());
                case 5 -> name = new String(span.readBytes(), UTF_8);
                case 9 -> keyValue(span.readMessage(), attributes);
                default -> span.skip();
            }
        }
        return new ExportedSpan(service, traceId, name, attributes);
    }

    /** The string-valued {@code KeyValue}s in field {@code field} of a message. */
    private static Map<String, String> attributes(ProtobufReader message, int field) {
        Map<String, String> attributes = new HashMap<>();
        while (message.hasMore()) {
            if (message.readTag() == field) {
                keyValue(message.readMessage(), attributes);
            }
            else {
                message.skip();
            }
        }
        return attributes;
    }

    private static void keyValue(ProtobufReader keyValue, Map<String, String> into) {
        String key = null;
        String value = null;
        while (keyValue.hasMore()) {
            switch (keyValue.readTag()) {
                case 1 -> key = new String(keyValue.readBytes(), UTF_8);
                case 2 -> value = stringValue(keyValue.readMessage());
                default -> keyValue.skip();
            }
        }
        if (key != null && value != null) {
            into.put(key, value);
        }
    }

    private static String stringValue(ProtobufReader anyValue) {
        String value = null;
        while (anyValue.hasMore()) {
            if (anyValue.readTag() == 1) {
                value = new String(anyValue.readBytes(), UTF_8);
            }
            else {
                anyValue.skip();
            }
        }
        return value;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Reads protobuf fields one after the other: a tag, then the value of its wire type. */
    private static final class ProtobufReader {

        private final byte[] bytes;
        private int position;
        private final int end;
        private int wireType;

        ProtobufReader(byte[] bytes) {
            this(bytes, 0, bytes.length);
        }

        private ProtobufReader(byte[] bytes, int start, int end) {
            this.bytes = bytes;
            this.position = start;
            this.end = end;
        }

        boolean hasMore() {
            return position < end;
        }

        /** The next field's number; its value must be read or skipped next. */
        int readTag() {
            long tag = readVarint();
            wireType = (int) (tag & 0x7);
            return (int) (tag >>> 3);
        }

        ProtobufReader readMessage() {
            int length = (int) readVarint();
            ProtobufReader message = new ProtobufReader(bytes, position, position + length);
            position += length;
            return message;
        }

        byte[] readBytes() {
            int length = (int) readVarint();
            byte[] value = Arrays.copyOfRange(bytes, position, position + length);
            position += length;
            return value;
        }

        void skip() {
            switch (wireType) {
                case 0 -> readVarint();
                case 1 -> position += 8;
                case 2 -> {
                    int length = (int) readVarint(); // read before position is, as the varint moves it
                    position += length;
                }
                case 5 -> position += 4;
                default -> throw new IllegalStateException("unsupported protobuf wire type " + wireType);
            }
        }

        private long readVarint() {
            long value = 0;
            for (int shift = 0; ; shift += 7) {
                byte next = bytes[position++];
                value |= (long) (next & 0x7F) << shift;
                if (next >= 0) {
                    return value;
                }
            }
        }
    }
}
