package io.roam.endtoend;

import static io.restassured.RestAssured.given;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.roam.contracts.messages.Topics;
import io.roam.infrastructure.PostgresServer;
import io.roam.infrastructure.QuarkusApplication;
import io.roam.infrastructure.WorkDirectories;
import io.roam.local.RoamStack;
import io.roam.storage.Location;
import io.roam.storage.StorageProfile;
import io.roam.storage.azure.testing.AzuriteServer;
import io.roam.storage.config.StorageConfiguration;
import io.roam.storage.s3.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No credential ever leaves the service that holds it. A stack of its own is configured with recognisable
 * fake secrets exactly where real ones go (a mounted S3 credentials file, an Azure account key file, the
 * catalog's database password), besides the real secrets of its test servers and of its security: the service token
 * the gateway presents to the catalog, the admin JWT every request of the flow bears, and an API token issued and
 * used during the flow. Then a full flow runs: replication local → S3 → Azure and local, a training event, copies
 * that fail on wrong credentials, an API token issued, used and revoked, requests with tokens the gateway refuses,
 * and requests that try to smuggle a credential in. Afterwards every place a secret could end up is read
 * whole: every service log, every record of every {@code roam.*} topic, every row of every catalog
 * table, every span the three services exported, their metrics and command lines, and every REST answer of the flow
 * but the one that issues the API token. None holds any secret.
 */
class SecretsNeverLeakTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final Path WORK_DIRECTORY = RoamUnderTest.WORK_DIRECTORY.resolveSibling("secrets-" + ProcessHandle.current().pid());
    private static final Path LOCAL_STORAGE = WORK_DIRECTORY.resolve("storage");
    private static final String FAKE = "ROAM-FAKE-SECRET-";

    private static final String WRONG_S3_SECRET = FAKE + UUID.randomUUID();
    private static final String WRONG_AZURE_SECRET = FAKE + UUID.randomUUID();
    private static final String WRONG_AZURE_KEY = Base64.getEncoder().encodeToString(WRONG_AZURE_SECRET.getBytes(UTF_8));
    private static final String DATABASE_PASSWORD = FAKE + UUID.randomUUID();
    private static final String SMUGGLED_SECRET = FAKE + UUID.randomUUID();
    private static final String REFUSED_BEARER_TOKEN = FAKE + "bearer-" + UUID.randomUUID();
    private static final String QUERY_STRING_TOKEN = FAKE + "query-" + UUID.randomUUID();

    private static final Deque<AutoCloseable> STARTED = new ArrayDeque<>();
    private static S3ProxyServer s3;
    private static OtlpTraceReceiver traces;
    private static RoamStack stack;
    private static PostgresServer postgres;
    private static final List<String> RESPONSES = new ArrayList<>();
    /** The API token the flow issues; known only once the flow ran. */
    private static String apiToken;

    @BeforeAll
    static void startAStackHoldingSecrets() throws IOException {
        WorkDirectories.deleteRecursively(WORK_DIRECTORY);
        Files.createDirectories(LOCAL_STORAGE);
        try {
            s3 = remember(S3ProxyServer.start(WORK_DIRECTORY.resolve("s3proxy")));
            for (String bucket : List.of("checkpoints", "replicas", "wrong-credentials")) {
                s3.createBucket(bucket);
            }
            AzuriteServer azure = remember(AzuriteServer.start(WORK_DIRECTORY.resolve("azurite")));
            azure.createContainer("replicas");
            azure.createContainer("wrong-key");
            postgres = remember(PostgresServer.startEmbedded(Files.createDirectories(WORK_DIRECTORY.resolve("postgres"))));
            traces = remember(OtlpTraceReceiver.start());

            Path secrets = Files.createDirectories(WORK_DIRECTORY.resolve("secrets"));
            Path wrongS3Credentials = secretFile(secrets.resolve("s3-credentials"),
                    "aws_access_key_id = ROAM-FAKE-KEY-ID\naws_secret_access_key = " + WRONG_S3_SECRET + "\n");
            Path wrongAzureKey = secretFile(secrets.resolve("azure-account-key"), WRONG_AZURE_KEY + "\n");
            List<StorageProfile> profiles = List.of(
                    new StorageProfile("local", "local", List.of(Location.parse("file://" + LOCAL_STORAGE + "/")), Optional.empty(),
                            Optional.empty(), Map.of()),
                    s3.profile("lab-s3", List.of(Location.parse("s3://checkpoints/"), Location.parse("s3://replicas/")), Map.of()),
                    s3.profile("s3-wrong-credentials", List.of(Location.parse("s3://wrong-credentials/")),
                            Map.of("credentials-file", wrongS3Credentials.toString())),
                    azure.profile("azure", List.of(Location.parse("abfs://replicas/"))),
                    azure.profile("azure-wrong-key", List.of(Location.parse("abfs://wrong-key/")),
                            Map.of("account-key-file", wrongAzureKey.toString())));
            Map<String, String> storageConfiguration = new HashMap<>();
            profiles.forEach(profile -> storageConfiguration.putAll(StorageConfiguration.toConfiguration(profile)));
            stack = remember(RoamStack.start(new RoamStack.Settings(Path.of("..").toAbsolutePath().normalize(), WORK_DIRECTORY,
                    storageConfiguration, Optional.empty(),
                    Optional.of(new RoamStack.ExternalDatabase(postgres.jdbcUrl(), postgres.username(), DATABASE_PASSWORD)),
                    Map.of("quarkus.otel.sdk.disabled", "false",
                            "quarkus.otel.exporter.otlp.endpoint", traces.endpoint().toString(),
                            "quarkus.otel.exporter.otlp.protocol", "http/protobuf",
                            "quarkus.otel.bsp.schedule.delay", "200ms"))));
        }
        catch (IOException | RuntimeException | Error failure) {
            stopEverything();
            throw failure;
        }
    }

    @AfterAll
    static void stopEverything() {
        while (!STARTED.isEmpty()) {
            try {
                STARTED.pop().close();
            }
            catch (Exception failure) {
                System.err.println("could not stop a test server: " + failure);
            }
        }
    }

    @Test
    void noSecretAppearsInLogsKafkaRecordsCatalogRowsMetricsOrAnswersAfterAFullFlow() throws Exception {
        String flowRun = runTheFlow();
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("the wrong S3 secret key", WRONG_S3_SECRET);
        secrets.put("the wrong Azure account key", WRONG_AZURE_KEY);
        secrets.put("the wrong Azure account key, decoded", WRONG_AZURE_SECRET);
        secrets.put("the database password", DATABASE_PASSWORD);
        secrets.put("a credential smuggled into a location", SMUGGLED_SECRET);
        secrets.put("the S3 server's secret key", s3.secretAccessKey());
        secrets.put("the Azure account key", AzuriteServer.ACCOUNT_KEY);
        secrets.put("the gateway's service token for the catalog", stack.catalogServiceToken());
        secrets.put("the admin JWT", stack.adminToken());
        secrets.put("the admin JWT's signature", stack.adminToken().substring(stack.adminToken().lastIndexOf('.') + 1));
        secrets.put("an API token issued in the flow", apiToken);
        secrets.put("any fake secret", FAKE);

        Map<String, String> places = new LinkedHashMap<>();
        try (Stream<Path> logs = Files.walk(WORK_DIRECTORY.resolve("logs"))) {
            for (Path log : logs.filter(Files::isRegularFile).toList()) {
                places.put("log " + log.getFileName(), Files.readString(log, StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(places).as("service logs").hasSizeGreaterThanOrEqualTo(3);
        places.putAll(everyKafkaRecord());
        places.putAll(everyCatalogRow());
        for (QuarkusApplication service : List.of(stack.gateway(), stack.worker(), stack.catalog())) {
            places.put("metrics of " + service.name(), given().baseUri(service.baseUrl().toString()).get("/q/metrics").then()
                    .statusCode(200).extract().asString());
            places.put("command line of " + service.name(), ProcessHandle.of(service.pid()).orElseThrow().info().commandLine()
                    .orElseThrow());
        }
        for (int index = 0; index < RESPONSES.size(); index++) {
            places.put("REST answer #" + index, RESPONSES.get(index));
        }
        // Spans are exported in batches: wait for the gateway's span of the query-string request, among the last.
        await().atMost(TIMEOUT).until(() -> traces.spans().stream().anyMatch(span -> span.service().equals("roam-gateway")
                && span.attributes().values().stream().anyMatch(value -> value.contains("access_token"))));
        List<OtlpTraceReceiver.ExportedSpan> spans = traces.spans();
        for (int index = 0; index < spans.size(); index++) {
            places.put("span #" + index + " of " + spans.get(index).service(), spans.get(index).toString());
        }

        // The scan reads what the flow left behind: its run name is in a log, a Kafka record and a catalog row.
        for (String kind : List.of("log ", "record ", "row ")) {
            assertThat(places).as("%s holding the flow", kind).anySatisfy((place, text) -> {
                assertThat(place).startsWith(kind);
                assertThat(text).contains(flowRun);
            });
        }

        List<String> leaks = new ArrayList<>();
        places.forEach((place, text) -> secrets.forEach((secret, value) -> {
            int at = text.indexOf(value);
            if (at >= 0) {
                leaks.add(secret + " in " + place + ": …" + text.substring(Math.max(0, at - 200), Math.min(text.length(), at + 80)) + "…");
            }
        }));
        System.out.println("secret scan: " + secrets.size() + " secrets looked for in " + places.size() + " places ("
                + places.values().stream().mapToLong(String::length).sum() + " characters)");
        assertThat(leaks).as("secrets found").isEmpty();
    }

    /** Runs the flow and returns the name of its run, found in what it leaves behind. */
    private String runTheFlow() throws IOException {
        String run = "run-" + UUID.randomUUID().toString().substring(0, 8);
        Path checkpoint = Files.createDirectories(LOCAL_STORAGE.resolve(run).resolve("checkpoint-1"));
        Files.writeString(checkpoint.resolve("model.bin"), "weights ".repeat(10_000));
        Files.writeString(checkpoint.resolve("config.json"), "{\"layers\":12}");

        // Local → S3, then S3 → Azure and back to local.
        String onS3 = "s3://checkpoints/" + run + "/checkpoint-1/";
        awaitState(replicate(run, "checkpoint-1", "file://" + checkpoint + "/", List.of(onS3)), "SUCCEEDED");
        for (String target : awaitAccepted(replicate(run, "checkpoint-1-copies", onS3,
                List.of("abfs://replicas/" + run + "/", "file://" + LOCAL_STORAGE + "/back/" + run + "/")))) {
            awaitState(target, "SUCCEEDED");
        }

        // A training event, copied by the project's policy to S3.
        answer(gateway().contentType(ContentType.JSON)
                .body(Map.of("project", "secrets", "name", "to-s3", "kinds", List.of("checkpoint"), "namePattern", "*",
                        "targets", List.of("s3://replicas/{project}/{run}/{version}/")))
                .post("/v1/policies").then().statusCode(201).extract().asString());
        try (KafkaProducer<String, String> producer = producer()) {
            ProducerRecord<String, String> event = new ProducerRecord<>(Topics.TRAINING_EVENTS, "secrets/" + run,
                    "{\"project\":\"secrets\",\"run\":\"" + run + "-trained\",\"version\":\"checkpoint-1\",\"uri\":\"file://" + checkpoint + "/\"}");
            Map.of("ce_specversion", "1.0", "ce_id", UUID.randomUUID().toString(), "ce_source", "/training/" + run,
                    "ce_type", "roam.checkpoint.saved", "content-type", "application/json")
                    .forEach((name, value) -> event.headers().add(name, value.getBytes(UTF_8)));
            producer.send(event).get();
        }
        catch (InterruptedException | java.util.concurrent.ExecutionException failure) {
            throw new IllegalStateException("could not publish the training event", failure);
        }
        await().atMost(TIMEOUT).untilAsserted(() -> {
            JsonPath page = gateway().queryParam("project", "secrets").queryParam("name", run + "-trained").get("/v1/artifacts").then().statusCode(200).extract().jsonPath();
            assertThat(page.<String>getList("artifacts.id")).hasSize(1);
            assertThat(gateway().get("/v1/artifacts/{id}/replicas", page.getString("artifacts[0].id")).then().statusCode(200)
                    .extract().jsonPath().<String>getList("state")).containsOnly("AVAILABLE").hasSize(2);
        });

        // An API token for a CI job: issued (the one answer that shows it), used, listed, revoked, then refused.
        String issued = gateway().contentType(ContentType.JSON)
                .body(Map.of("name", "ci-" + run, "projects", Map.of("secrets", "writer")))
                .post("/v1/tokens").then().statusCode(201).extract().asString();
        apiToken = JsonPath.from(issued).getString("token");
        String apiTokenId = JsonPath.from(issued).getString("details.id");
        answer(gatewayAs(apiToken).queryParam("project", "secrets").get("/v1/artifacts").then().statusCode(200).extract().asString());
        answer(gateway().get("/v1/tokens").then().statusCode(200).extract().asString());
        answer(gateway().delete("/v1/tokens/{id}", apiTokenId).then().statusCode(204).extract().asString());
        answer(gatewayAs(apiToken).queryParam("project", "secrets").get("/v1/artifacts").then().statusCode(401).extract().asString());

        // Tokens the gateway refuses are not repeated back, nor logged.
        answer(gatewayAs(REFUSED_BEARER_TOKEN).queryParam("project", "secrets").get("/v1/artifacts").then().statusCode(401)
                .extract().asString());
        answer(gatewayAs("roam_" + REFUSED_BEARER_TOKEN.substring(0, 43)).queryParam("project", "secrets").get("/v1/artifacts")
                .then().statusCode(401).extract().asString());
        // A token in the query string is never read, and never recorded with the URL (traces, logs).
        answer(given().baseUri(stack.gatewayUrl().toString()).queryParam("project", "secrets")
                .queryParam("access_token", QUERY_STRING_TOKEN).get("/v1/artifacts").then().statusCode(401).extract().asString());

        // Copies that fail on wrong credentials, writing and reading.
        for (String transfer : List.of(
                replicate(run, "wrong-s3-write", "file://" + checkpoint + "/", List.of("s3://wrong-credentials/" + run + "/")),
                replicate(run, "wrong-azure-write", "file://" + checkpoint + "/", List.of("abfs://wrong-key/" + run + "/")),
                replicate(run, "wrong-s3-read", "s3://wrong-credentials/" + run + "/", List.of("file://" + LOCAL_STORAGE + "/x/" + run + "/")))) {
            JsonPath failed = awaitState(awaitAccepted(transfer).getFirst(), "FAILED");
            assertThat(failed.getString("error.code")).isIn("ACCESS_DENIED", "INVALID_CONFIGURATION", "NOT_FOUND", "SOURCE_NOT_FOUND");
        }

        // Credentials smuggled into locations are refused, and not repeated back.
        for (String location : List.of("s3://ROAM-FAKE-KEY-ID:" + SMUGGLED_SECRET + "@checkpoints/x/", "s3://" + SMUGGLED_SECRET + "@checkpoints/x/",
                "abfss://replicas:" + SMUGGLED_SECRET + "@devstoreaccount1.dfs.core.windows.net/x/",
                "sftp://user:" + SMUGGLED_SECRET + "@nas.example/x/")) {
            answer(gateway().contentType(ContentType.JSON)
                    .body(Map.of("project", "secrets", "artifact", Map.of("kind", "dataset", "name", "d", "version", "v"),
                            "source", "file://" + checkpoint + "/", "targets", List.of(location)))
                    .post("/v1/replications").then().statusCode(400).extract().asString());
            answer(gateway().contentType(ContentType.JSON).header("ce-specversion", "1.0").header("ce-id", UUID.randomUUID().toString())
                    .header("ce-source", "/t").header("ce-type", "roam.dataset.registered")
                    .body(Map.of("project", "secrets", "run", run, "version", "v", "uri", location))
                    .post("/v1/events").then().statusCode(400).extract().asString());
        }
        return run;
    }

    private String replicate(String run, String version, String source, List<String> targets) {
        return answer(gateway().contentType(ContentType.JSON)
                .body(Map.of("project", "secrets", "artifact", Map.of("kind", "checkpoint", "name", run, "version", version),
                        "source", source, "targets", targets))
                .post("/v1/replications").then().statusCode(202).extract().asString());
    }

    private static List<String> awaitAccepted(String accepted) {
        return JsonPath.from(accepted).getList("transfers.id");
    }

    private JsonPath awaitState(String acceptedOrTransferId, String state) {
        String transferId = acceptedOrTransferId.startsWith("{") ? awaitAccepted(acceptedOrTransferId).getFirst() : acceptedOrTransferId;
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(250)).until(
                () -> gateway().get("/v1/transfers/{id}", transferId).then().statusCode(200).extract().<String>path("state"),
                current -> Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(current));
        String transfer = answer(gateway().get("/v1/transfers/{id}", transferId).then().statusCode(200).extract().asString());
        JsonPath view = JsonPath.from(transfer);
        assertThat(view.getString("state")).as("transfer %s: %s", transferId, transfer).isEqualTo(state);
        return view;
    }

    private static String answer(String body) {
        RESPONSES.add(body);
        return body;
    }

    /** A request to the gateway as admin of every project. */
    private static RequestSpecification gateway() {
        return gatewayAs(stack.adminToken());
    }

    private static RequestSpecification gatewayAs(String token) {
        return given().baseUri(stack.gatewayUrl().toString()).header("Authorization", "Bearer " + token);
    }

    private static KafkaProducer<String, String> producer() {
        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
    }

    /** Every record of every {@code roam.*} topic, key, headers and value, read from the beginning to the end. */
    private static Map<String, String> everyKafkaRecord() throws Exception {
        Set<String> topics;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()))) {
            topics = admin.listTopics().names().get();
        }
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, String> records = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = topics.stream().filter(topic -> topic.startsWith("roam."))
                    .flatMap(topic -> consumer.partitionsFor(topic).stream().map(info -> new TopicPartition(topic, info.partition())))
                    .toList();
            assertThat(partitions).as("partitions of the roam.* topics").isNotEmpty();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            await().atMost(TIMEOUT).until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    StringBuilder text = new StringBuilder();
                    text.append(record.key() == null ? "" : new String(record.key(), StandardCharsets.ISO_8859_1)).append('\n');
                    for (Header header : record.headers()) {
                        text.append(header.key()).append('=')
                                .append(header.value() == null ? "" : new String(header.value(), StandardCharsets.ISO_8859_1)).append('\n');
                    }
                    text.append(record.value() == null ? "" : new String(record.value(), StandardCharsets.ISO_8859_1));
                    records.put("record " + record.topic() + "-" + record.partition() + "@" + record.offset(), text.toString());
                }
                return partitions.stream().allMatch(partition -> consumer.position(partition) >= ends.get(partition));
            });
        }
        assertThat(records.keySet()).as("records read").anyMatch(place -> place.contains(Topics.TRANSFER_EVENTS));
        return records;
    }

    /** Every row of every table of the catalog's database, each column as text. */
    private static Map<String, String> everyCatalogRow() throws SQLException {
        Map<String, String> rows = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
                Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet names = statement.executeQuery("SELECT table_schema, table_name FROM information_schema.tables "
                    + "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'")) {
                while (names.next()) {
                    tables.add("\"" + names.getString(1) + "\".\"" + names.getString(2) + "\"");
                }
            }
            assertThat(tables).as("catalog tables").hasSizeGreaterThan(3);
            for (String table : tables) {
                try (ResultSet row = statement.executeQuery("SELECT * FROM " + table)) {
                    int columns = row.getMetaData().getColumnCount();
                    for (int number = 1; row.next(); number++) {
                        StringBuilder text = new StringBuilder();
                        for (int column = 1; column <= columns; column++) {
                            text.append(row.getString(column)).append('\t');
                        }
                        rows.put("row " + number + " of " + table, text.toString());
                    }
                }
            }
        }
        assertThat(rows.keySet()).as("catalog rows").anyMatch(place -> place.contains("replica"));
        return rows;
    }

    private static Path secretFile(Path file, String content) throws IOException {
        Files.writeString(file, content, UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static <T extends AutoCloseable> T remember(T resource) {
        STARTED.push(resource);
        return resource;
    }
}
