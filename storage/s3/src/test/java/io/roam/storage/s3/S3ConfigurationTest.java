package io.roam.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roam.storage.Location;
import io.roam.storage.StorageProfile;
import io.roam.storage.s3.S3Configuration.UploadChecksum;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

class S3ConfigurationTest {

    @Test
    void defaultsSuitAwsWithTheDefaultCredentialsChain() {
        S3Configuration configuration = S3Configuration.of(profile(Map.of()));

        assertThat(configuration).isEqualTo(new S3Configuration(
                Optional.empty(), Optional.of("eu-west-1"), false, 8 * S3Configuration.MEBIBYTE, 4, UploadChecksum.CRC32C, true, 1000, 64,
                S3Configuration.HttpClient.APACHE, Optional.empty(), 5 * S3Configuration.GIBIBYTE, new S3Credentials.Default(Optional.empty())));
    }

    @Test
    void readsEveryProperty() {
        S3Configuration configuration = S3Configuration.of(profile(Map.ofEntries(
                Map.entry("endpoint", "https://minio.example.com:9000"),
                Map.entry("path-style-access", "TRUE"),
                Map.entry("part-size", "16MiB"),
                Map.entry("upload-concurrency", "6"),
                Map.entry("upload-checksum", "md5"),
                Map.entry("sign-payloads", "false"),
                Map.entry("list-page-size", "500"),
                Map.entry("max-connections", "128"),
                Map.entry("http-client", "CRT"),
                Map.entry("multipart-copy-threshold", "1 GiB"),
                Map.entry("credentials", "environment"),
                Map.entry("access-key-id-env", "ROAM_S3_ACCESS_KEY_ID"),
                Map.entry("secret-access-key-env", "ROAM_S3_SECRET_ACCESS_KEY"),
                Map.entry("session-token-env", "ROAM_S3_SESSION_TOKEN"))));

        assertThat(configuration).isEqualTo(new S3Configuration(
                Optional.of(URI.create("https://minio.example.com:9000")), Optional.of("eu-west-1"), true, 16 * S3Configuration.MEBIBYTE, 6,
                UploadChecksum.MD5, false, 500, 128, S3Configuration.HttpClient.CRT, Optional.empty(), S3Configuration.GIBIBYTE,
                new S3Credentials.Environment("ROAM_S3_ACCESS_KEY_ID", "ROAM_S3_SECRET_ACCESS_KEY", Optional.of("ROAM_S3_SESSION_TOKEN"))));
    }

    @Test
    void certificatesToTrustAreAFileForTheApacheClientOnly() {
        assertThat(S3Configuration.of(profile(Map.of("trust-certificates", "/etc/roam/minio-ca.pem"))).trustCertificates())
                .contains(Path.of("/etc/roam/minio-ca.pem"));
        assertThatThrownBy(() -> S3Configuration.of(profile(Map.of("trust-certificates", "/etc/roam/minio-ca.pem", "http-client", "crt"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trust-certificates")
                .hasMessageContaining("needs http-client=apache");
    }

    @Test
    void readsFileAndProfileCredentials() {
        assertThat(S3Configuration.of(profile(Map.of("credentials", "file", "credentials-file", "/var/run/secrets/s3/credentials"))).credentials())
                .isEqualTo(new S3Credentials.File(Path.of("/var/run/secrets/s3/credentials")));
        assertThat(S3Configuration.of(profile(Map.of("credentials-profile", "training"))).credentials())
                .isEqualTo(new S3Credentials.Default(Optional.of("training")));
        assertThat(S3Configuration.of(profile(Map.of("credentials", "anonymous"))).credentials())
                .isEqualTo(new S3Credentials.Anonymous());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "endpoint | ftp://host | must be an http:// or https:// URL",
            "endpoint | http://user:secret@host | must not carry a query, fragment or user",
            "endpoint | http://host name | is not a URL",
            "path-style-access | yes | must be true or false, not 'yes'",
            "part-size | 4MiB | must be between 5MiB and 512MiB, not 4MiB",
            "part-size | 1GiB | must be between 5MiB and 512MiB",
            "part-size | 8MB | must be a size in bytes, optionally with a unit",
            "part-size | 99999999999999999999GiB | must be a size in bytes",
            "upload-concurrency | 0 | must be between 1 and 16, not 0",
            "upload-concurrency | two | must be a whole number, not 'two'",
            "upload-checksum | sha1 | must be one of crc32c, md5, none, not 'sha1'",
            "list-page-size | 1001 | must be between 1 and 1000",
            "http-client | netty | must be one of apache, crt, not 'netty'",
            "multipart-copy-threshold | 6GiB | must be between 5MiB and 5GiB",
            "credentials | vault | must be one of default, environment, file, anonymous",
    })
    void refusesInvalidValuesNamingTheProperty(String key, String value, String expectedProblem) {
        assertThatThrownBy(() -> S3Configuration.of(profile(Map.of(key, value))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("roam.storage.profiles.training.properties.%s: ".formatted(key))
                .hasMessageContaining(expectedProblem);
    }

    @Test
    void refusesUnknownPropertiesAndRegionAsAProperty() {
        assertThatThrownBy(() -> S3Configuration.of(profile(Map.of("part_size", "8MiB"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("roam.storage.profiles.training.properties.part_size: is not a property of the s3 backend; known: access-key-id-env, credentials");
        assertThatThrownBy(() -> S3Configuration.of(profile(Map.of("region", "us-west-2"))))
                .hasMessageContaining("set the profile's region instead (roam.storage.profiles.training.region)");
    }

    @Test
    void refusesCredentialPropertiesThatDoNotFitTheChosenCredentials() {
        assertThatThrownBy(() -> S3Configuration.of(profile(Map.of("credentials", "environment", "access-key-id-env", "ID"))))
                .hasMessageStartingWith("roam.storage.profiles.training.properties.secret-access-key-env: is required with credentials=environment");
        assertThatThrownBy(() -> S3Configuration.of(profile(Map.of("credentials", "file"))))
                .hasMessageStartingWith("roam.storage.profiles.training.properties.credentials-file: is required with credentials=file");
        assertThatThrownBy(() -> S3Configuration.of(profile(Map.of("credentials-file", "/secrets/s3"))))
                .hasMessage("roam.storage.profiles.training.properties.credentials-file: does not apply to credentials=default");
    }

    @Test
    void environmentCredentialsComeFromTheNamedVariables() {
        S3Credentials credentials = new S3Credentials.Environment("ID", "SECRET", Optional.of("TOKEN"));

        assertThat(credentials.provider("training", Map.of("ID", "key-id", "SECRET", "secret", "TOKEN", "token")).resolveCredentials())
                .isEqualTo(AwsSessionCredentials.create("key-id", "secret", "token"));
    }

    @Test
    void anUnsetVariableIsNamedButNoValueIsQuoted() {
        S3Credentials credentials = new S3Credentials.Environment("ID", "SECRET", Optional.empty());

        assertThatThrownBy(() -> credentials.provider("training", Map.of("ID", "key-id")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("environment variable 'SECRET', named by property 'secret-access-key-env' of storage profile 'training', is not set");
    }

    private static StorageProfile profile(Map<String, String> properties) {
        return new StorageProfile("training", "s3", List.of(Location.parse("s3://training-data/")), Optional.of("eu-west-1"), Optional.empty(), properties);
    }
}
