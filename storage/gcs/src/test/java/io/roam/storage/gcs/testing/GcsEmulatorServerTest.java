package io.roam.storage.gcs.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import io.roam.storage.testing.TestContent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher serves uploads as the Java client and Go's client library (rclone's) send them, which the
 * stock emulator refuses (quirks MULTIPART_PART_HEADERS_OTHER_THAN_ONE_CONTENT_TYPE and
 * RESUMABLE_CHUNKS_SENT_BY_POST): Roam sends small files in one multipart upload, and the benchmark compares
 * Roam with rclone on this server.
 */
class GcsEmulatorServerTest {

    private static final String BUCKET = "roam-launcher-test";
    private static final int CHUNK = 256 * 1024;

    @TempDir
    static Path workDirectory;

    private static GcsEmulatorServer server;
    private static String accessToken;
    private static HttpClient http;

    @BeforeAll
    static void startServer() throws IOException {
        server = GcsEmulatorServer.start(workDirectory);
        server.createBucket(BUCKET);
        try (InputStream key = Files.newInputStream(server.serviceAccountKey())) {
            accessToken = ServiceAccountCredentials.fromStream(key)
                    .createScoped("https://www.googleapis.com/auth/devstorage.read_write")
                    .refreshAccessToken()
                    .getTokenValue();
        }
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stopServer() {
        if (http != null) {
            http.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aMultipartUploadWhoseMediaPartHasNoHeadersStoresItsBytes() throws Exception {
        String name = "multipart-" + UUID.randomUUID();
        byte[] content = new TestContent(41, 300_000).bytes();
        String boundary = "roam" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Type: application/json\r\n\r\n"
                + "{\"bucket\":\"%s\",\"name\":\"%s\",\"contentType\":\"application/octet-stream\"}\r\n".formatted(BUCKET, name)
                + "--" + boundary + "\r\n\r\n").getBytes(UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(UTF_8));

        HttpResponse<String> response = send(HttpRequest.newBuilder(uploadUri("uploadType=multipart"))
                .header("Content-Type", "multipart/related; boundary=" + boundary)
                .POST(BodyPublishers.ofByteArray(body.toByteArray())));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"name\":\"%s\"".formatted(name)).contains("\"size\":\"300000\"");
        assertThat(stored(name)).isEqualTo(content);
    }

    @Test
    void aMultipartUploadOfTheJavaClientStoresItsBytes() throws Exception {
        String name = "java-multipart-" + UUID.randomUUID();
        byte[] content = new TestContent(42, 300_000).bytes();

        try (Storage storage = server.client()) {
            Blob blob = storage.create(BlobInfo.newBuilder(BUCKET, name).setContentType("application/octet-stream").build(), content);

            assertThat(blob.getSize()).isEqualTo(content.length);
            assertThat(blob.getCrc32c()).isNotNull();
        }
        assertThat(stored(name)).isEqualTo(content);
    }

    @Test
    void aResumableUploadContinuedByPostAnswersIncompleteChunksWithTheOverrideGoAsksFor() throws Exception {
        String name = "resumable-" + UUID.randomUUID();
        byte[] content = new TestContent(43, 2 * CHUNK + 1_000).bytes();
        HttpResponse<String> started = send(HttpRequest.newBuilder(uploadUri("uploadType=resumable&name=" + URLEncoder.encode(name, UTF_8)))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"bucket\":\"%s\",\"name\":\"%s\"}".formatted(BUCKET, name))));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        URI session = URI.create(started.headers().firstValue("Location").orElseThrow());

        for (int chunk = 0; chunk < 2; chunk++) {
            HttpResponse<String> incomplete = sendChunk(session, content, chunk * CHUNK, (chunk + 1) * CHUNK, "*");
            assertThat(incomplete.statusCode()).as(incomplete.body()).isEqualTo(200);
            assertThat(incomplete.headers().firstValue("X-Http-Status-Code-Override")).hasValue("308");
        }
        HttpResponse<String> finished = sendChunk(session, content, 2 * CHUNK, content.length, String.valueOf(content.length));

        assertThat(finished.statusCode()).as(finished.body()).isEqualTo(200);
        assertThat(finished.headers().firstValue("X-Http-Status-Code-Override")).isEmpty();
        assertThat(finished.body()).contains("\"name\":\"%s\"".formatted(name)).contains("\"size\":\"%d\"".formatted(content.length));
        assertThat(stored(name)).isEqualTo(content);
    }

    private HttpResponse<String> sendChunk(URI session, byte[] content, int from, int to, String total) throws Exception {
        return send(HttpRequest.newBuilder(session)
                .header("Content-Range", "bytes %d-%d/%s".formatted(from, to - 1, total))
                .header("X-GUploader-No-308", "yes")
                .POST(BodyPublishers.ofByteArray(Arrays.copyOfRange(content, from, to))));
    }

    private static URI uploadUri(String query) {
        return URI.create("%s/upload/storage/v1/b/%s/o?%s".formatted(server.endpoint(), BUCKET, query));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.header("Authorization", "Bearer " + accessToken).build(), BodyHandlers.ofString());
    }

    private static byte[] stored(String name) throws Exception {
        try (Storage storage = server.client()) {
            return storage.readAllBytes(BlobId.of(BUCKET, name));
        }
    }
}
