package io.roam.storage.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roam.storage.sftp.SftpSettings.HostKeyCheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SftpSettingsTest {

    @TempDir
    Path temporaryDirectory;

    private Path knownHosts;
    private Map<String, String> properties;

    @BeforeEach
    void createFiles() throws IOException {
        knownHosts = Files.writeString(temporaryDirectory.resolve("known_hosts"), "");
        properties = new HashMap<>(Map.of(
                "credentials", "password-env",
                "password-env", "SFTP_PASSWORD",
                "known-hosts-file", knownHosts.toString()));
    }

    @Test
    void appliesDefaults() {
        SftpSettings settings = parse();

        assertThat(settings.username()).isEmpty();
        assertThat(settings.credentials()).isInstanceOf(SftpCredentials.PasswordFromEnvironment.class);
        assertThat(settings.hostKeyCheck()).isEqualTo(new HostKeyCheck.KnownHostsFile(knownHosts));
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.ciphers()).containsExactly("aes128-gcm@openssh.com");
        assertThat(settings.maximumSessions()).isEqualTo(4);
        assertThat(settings.maximumChannelsPerSession()).isEqualTo(8);
        assertThat(settings.channelWaitTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.bufferSize()).isEqualTo(65536);
    }

    @Test
    void readsEveryProperty() throws IOException {
        Path key = Files.writeString(temporaryDirectory.resolve("id_ed25519"), "key");
        properties.remove("password-env");
        properties.remove("known-hosts-file");
        properties.putAll(Map.of(
                "username", "roam",
                "credentials", "private-key-file",
                "private-key-file", key.toString(),
                "private-key-passphrase-env", "SFTP_PASSPHRASE",
                "host-key-fingerprint", "SHA256:abc, SHA256:def",
                "connect-timeout", "PT5S",
                "cipher", "aes256-gcm@openssh.com,aes128-ctr",
                "max-sessions", "2",
                "max-channels-per-session", "3",
                "channel-wait-timeout", "500ms"));
        properties.put("buffer-size", "32768");

        SftpSettings settings = parse();

        assertThat(settings.username()).contains("roam");
        assertThat(settings.credentials()).isInstanceOfSatisfying(SftpCredentials.PrivateKeyFile.class, credentials -> {
            assertThat(credentials.file()).isEqualTo(key);
            assertThat(credentials.passphraseVariable()).contains("SFTP_PASSPHRASE");
        });
        assertThat(settings.hostKeyCheck()).isEqualTo(new HostKeyCheck.Fingerprints(List.of("SHA256:abc", "SHA256:def")));
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.ciphers()).containsExactly("aes256-gcm@openssh.com", "aes128-ctr");
        assertThat(settings.maximumSessions()).isEqualTo(2);
        assertThat(settings.maximumChannelsPerSession()).isEqualTo(3);
        assertThat(settings.channelWaitTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.bufferSize()).isEqualTo(32768);
    }

    @Test
    void acceptsAnyHostKeyOnlyWhenAskedExplicitly() {
        properties.remove("known-hosts-file");
        assertInvalid("roam.storage.profiles.test.properties.known-hosts-file: is missing: unknown host keys are refused, "
                + "so set 'known-hosts-file' or 'host-key-fingerprint' (or, unsafely, 'strict-host-key-checking=false')");

        properties.put("strict-host-key-checking", "false");
        assertThat(parse().hostKeyCheck()).isEqualTo(new HostKeyCheck.AcceptAny());
    }

    @Test
    void refusesIncompleteOrContradictoryProperties() {
        properties.put("host-key-fingerprint", "SHA256:abc");
        assertInvalid("roam.storage.profiles.test.properties.host-key-fingerprint: is set together with 'known-hosts-file': choose one");
        properties.remove("host-key-fingerprint");

        properties.put("password-file", "/run/secrets/password");
        assertInvalid("roam.storage.profiles.test.properties.password-file: is set, but 'credentials' is 'password-env'");
        properties.remove("password-file");

        properties.put("credentials", "kerberos");
        assertInvalid("roam.storage.profiles.test.properties.credentials: must be one of password-env, password-file, private-key-file, not 'kerberos'");
        properties.remove("credentials");
        assertInvalid("roam.storage.profiles.test.properties.credentials: is required, but not set");
    }

    @Test
    void refusesMissingSecretsWhenCreated() {
        properties.put("password-env", "UNSET_VARIABLE");
        assertInvalid("roam.storage.profiles.test.properties.password-env: names environment variable 'UNSET_VARIABLE', which is not set");

        properties.put("credentials", "password-file");
        properties.remove("password-env");
        properties.put("password-file", temporaryDirectory.resolve("missing").toString());
        assertInvalid("roam.storage.profiles.test.properties.password-file: names '%s', which is not a readable file".formatted(temporaryDirectory.resolve("missing")));
    }

    @Test
    void refusesUnknownAndMalformedProperties() {
        properties.put("pasword-env", "typo");
        assertThatThrownBy(this::parse).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("roam.storage.profiles.test.properties.pasword-env: is not a property of the sftp backend; known: buffer-size, ");
        properties.remove("pasword-env");

        for (Map.Entry<String, String> malformed : List.of(
                Map.entry("connect-timeout", "soon"),
                Map.entry("connect-timeout", "0s"),
                Map.entry("max-sessions", "0"),
                Map.entry("buffer-size", "1048576"),
                Map.entry("strict-host-key-checking", "maybe"),
                Map.entry("cipher", "rot13"))) {
            Map<String, String> withMalformed = new HashMap<>(properties);
            withMalformed.put(malformed.getKey(), malformed.getValue());
            assertThatThrownBy(() -> SftpSettings.parse("test", withMalformed, Map.of("SFTP_PASSWORD", "secret")::get))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("roam.storage.profiles.test.properties.%s: ".formatted(malformed.getKey()))
                    .hasMessageContaining(malformed.getValue());
        }
    }

    private SftpSettings parse() {
        return SftpSettings.parse("test", properties, Map.of("SFTP_PASSWORD", "secret", "SFTP_PASSPHRASE", "phrase")::get);
    }

    private void assertInvalid(String message) {
        assertThatThrownBy(this::parse).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
