package io.roam.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link FakeQuarkusApplication} from a jar shaped like {@code quarkus-run.jar}. */
class QuarkusApplicationTest {

    @TempDir
    Path workDirectory;

    private Path quarkusRunJar;

    @BeforeEach
    void packageTheFakeApplication() throws IOException, URISyntaxException {
        Path testClasses = Path.of(FakeQuarkusApplication.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeQuarkusApplication.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, testClasses.toUri().toString());
        quarkusRunJar = workDirectory.resolve("quarkus-app/quarkus-run.jar");
        Files.createDirectories(quarkusRunJar.getParent());
        try (OutputStream jar = new JarOutputStream(Files.newOutputStream(quarkusRunJar), manifest)) {
            jar.flush();
        }
    }

    @Test
    void startsTheApplicationOnALoopbackPortWithItsConfigurationAndStopsItsProcessOnClose() throws Exception {
        Path logFile = workDirectory.resolve("logs/fake.log");
        QuarkusApplication application = QuarkusApplication.start("fake", quarkusRunJar,
                Map.of("greeting", "hello from the launcher"), logFile);
        long pid = application.pid();
        try {
            assertThat(application.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:" + application.port() + "/"));
            assertThat(get(application.baseUrl().resolve("greeting"))).isEqualTo("hello from the launcher");
            assertThat(application.logFile()).content().contains("fake application started");
        }
        finally {
            application.close();
        }

        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void secretsReachTheApplicationThroughItsEnvironmentAndNeverAppearOnItsCommandLine() throws Exception {
        String password = "launcher-test-password-" + System.nanoTime();
        String clientSecret = "launcher-test-client-secret-" + System.nanoTime();
        String serviceToken = "launcher-test-service-token-" + System.nanoTime();
        String jaasConfiguration = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"gateway\" "
                + "password=\"launcher-test-sasl-" + System.nanoTime() + "\";";
        QuarkusApplication application = QuarkusApplication.start("fake", quarkusRunJar, Map.of(
                "quarkus.datasource.password", password,
                "quarkus.oidc.credentials.secret", clientSecret,
                "roam.gateway.catalog.service-token", serviceToken,
                "kafka.sasl.jaas.config", jaasConfiguration,
                "greeting", "hello"), workDirectory.resolve("secret.log"));
        try {
            assertThat(get(application.baseUrl().resolve("environment/QUARKUS_DATASOURCE_PASSWORD"))).isEqualTo(password);
            assertThat(get(application.baseUrl().resolve("environment/QUARKUS_OIDC_CREDENTIALS_SECRET"))).isEqualTo(clientSecret);
            assertThat(get(application.baseUrl().resolve("environment/ROAM_GATEWAY_CATALOG_SERVICE_TOKEN"))).isEqualTo(serviceToken);
            assertThat(get(application.baseUrl().resolve("environment/KAFKA_SASL_JAAS_CONFIG"))).isEqualTo(jaasConfiguration);
            assertThat(ProcessHandle.of(application.pid()).orElseThrow().info().commandLine().orElseThrow())
                    .contains("-Dgreeting=hello")
                    .doesNotContain(password, clientSecret, serviceToken, jaasConfiguration, "sasl.jaas", "service-token");
        }
        finally {
            application.close();
        }
    }

    @Test
    void anApplicationThatExitsDuringStartUpFailsTheStartWithItsExitStatusAndLog() {
        assertThatIllegalStateException()
                .isThrownBy(() -> QuarkusApplication.start("failing", quarkusRunJar, Map.of("fake.fail", "true"),
                        workDirectory.resolve("failing.log")))
                .withMessageContaining("exited with status 3")
                .withMessageContaining("fake start-up failure: missing configuration");
    }

    private static String get(URI uri) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString()).body();
        }
    }
}
