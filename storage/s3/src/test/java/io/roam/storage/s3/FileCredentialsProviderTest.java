package io.roam.storage.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

class FileCredentialsProviderTest {

    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {
            "aws_access_key_id = key-id\naws_secret_access_key = secret\n",
            "[default]\n# mounted from a Secret\naws_access_key_id=key-id\n; rotated weekly\naws_secret_access_key=secret\n",
            "AWS_ACCESS_KEY_ID=key-id\nAWS_SECRET_ACCESS_KEY=secret\nREGION=ignored\n",
            "aws-access-key-id: ignored=no\naws-access-key-id = key-id\naws-secret-access-key = secret",
    })
    void readsAwsCredentialsAndEnvironmentStyleFiles(String content) throws IOException {
        assertThat(provider(content).resolveCredentials()).isEqualTo(AwsBasicCredentials.create("key-id", "secret"));
    }

    @Test
    void readsASessionToken() throws IOException {
        assertThat(provider("aws_access_key_id=key-id\naws_secret_access_key=secret\naws_session_token=token\n").resolveCredentials())
                .isEqualTo(AwsSessionCredentials.create("key-id", "secret", "token"));
    }

    @Test
    void aMissingSecretIsAccessDeniedNamingTheFile() throws IOException {
        FileCredentialsProvider provider = provider("aws_access_key_id=key-id\n");

        assertThatThrownBy(provider::resolveCredentials)
                .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.ACCESS_DENIED))
                .hasMessage("cannot use credentials file '%s' of storage profile 'training': it has no aws_secret_access_key".formatted(directory.resolve("credentials")));
    }

    @Test
    void aLineWithoutANameIsRefusedWithoutQuotingIt() throws IOException {
        FileCredentialsProvider provider = provider("aws_access_key_id=key-id\nsecret-pasted-alone\n");

        assertThatThrownBy(provider::resolveCredentials)
                .hasMessageEndingWith("line 2 is not 'name = value'")
                .message().doesNotContain("secret-pasted-alone");
    }

    @Test
    void severalSectionsAreRefused() throws IOException {
        FileCredentialsProvider provider = provider("[default]\naws_access_key_id=a\naws_secret_access_key=b\n[other]\naws_access_key_id=c\n");

        assertThatThrownBy(provider::resolveCredentials).hasMessageEndingWith("it has more than one section; mount a file with the credentials of one identity");
    }

    @Test
    void aMissingFileIsAccessDenied() {
        FileCredentialsProvider provider = new FileCredentialsProvider(directory.resolve("missing"), "training");

        assertThatThrownBy(provider::resolveCredentials)
                .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.ACCESS_DENIED))
                .hasMessageEndingWith("it does not exist");
    }

    private FileCredentialsProvider provider(String content) throws IOException {
        Path file = Files.writeString(directory.resolve("credentials"), content, UTF_8);
        return new FileCredentialsProvider(file, "training");
    }
}
