package io.roam.endtoend;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange over a plain socket, byte for byte as given: request lines, header values and
 * bodies that a well-behaved HTTP client would refuse to send (raw CR LF, NUL, backslashes, overlong
 * UTF-8, lying lengths) reach the server as they are, which is what a hostile client does.
 */
final class RawHttpExchange {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private RawHttpExchange() {
    }

    /** What the server answered; {@code status} is -1 when it closed the connection without answering. */
    record Answer(int status, Map<String, String> headers, String body) {

        String contentType() {
            return headers.getOrDefault("content-type", "");
        }
    }

    /**
     * Sends {@code method target HTTP/1.1} with the headers given (a {@code Host}, {@code Connection: close} and,
     * for a body, a {@code Content-Length} are added unless given), then reads the whole answer.
     */
    static Answer exchange(URI server, String method, byte[] target, List<Map.Entry<String, byte[]>> headers, byte[] body)
            throws IOException {
        requireNonNull(server, "server is null");
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes((method + " ").getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(target);
        request.writeBytes(" HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        boolean hasLength = false;
        for (Map.Entry<String, byte[]> header : headers) {
            hasLength |= header.getKey().equalsIgnoreCase("content-length") || header.getKey().equalsIgnoreCase("transfer-encoding");
            request.writeBytes((header.getKey() + ": ").getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(header.getValue());
            request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        request.writeBytes(("Host: " + server.getHost() + ":" + server.getPort() + "\r\nConnection: close\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        if (body != null && !hasLength) {
            request.writeBytes(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        if (body != null) {
            request.writeBytes(body);
        }

        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.getHost(), server.getPort()), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream output = socket.getOutputStream();
            try {
                output.write(request.toByteArray());
                output.flush();
            }
            catch (IOException closedWhileSending) {
                // A server refusing an oversized request may answer and close before reading all of it.
            }
            return parse(readAll(socket.getInputStream()));
        }
    }

    private static byte[] readAll(InputStream input) {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int read = input.read(buffer); read >= 0; read = input.read(buffer)) {
                answer.write(buffer, 0, read);
            }
        }
        catch (IOException resetAfterAnswering) {
            // A reset after the answer leaves what was read so far, which is the answer.
        }
        return answer.toByteArray();
    }

    private static Answer parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int headerEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || headerEnd < 0) {
            return new Answer(-1, Map.of(), text);
        }
        String[] lines = text.substring(0, headerEnd).split("\r\n");
        int status = Integer.parseInt(lines[0].substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (int index = 1; index < lines.length; index++) {
            int colon = lines[index].indexOf(':');
            if (colon > 0) {
                headers.put(lines[index].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[index].substring(colon + 1).trim());
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, headerEnd + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = unchunked(body);
        }
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] unchunked(byte[] chunked) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int position = 0;
        while (position < chunked.length) {
            int lineEnd = indexOfLineEnd(chunked, position);
            if (lineEnd < 0) {
                break;
            }
            String sizeText = new String(chunked, position, lineEnd - position, StandardCharsets.US_ASCII).split(";")[0].trim();
            int size = Integer.parseInt(sizeText, 16);
            if (size == 0) {
                break;
            }
            body.write(chunked, lineEnd + 2, Math.min(size, chunked.length - lineEnd - 2));
            position = lineEnd + 2 + size + 2;
        }
        return body.toByteArray();
    }

    private static int indexOfLineEnd(byte[] bytes, int from) {
        for (int index = from; index + 1 < bytes.length; index++) {
            if (bytes[index] == '\r' && bytes[index + 1] == '\n') {
                return index;
            }
        }
        return -1;
    }
}
