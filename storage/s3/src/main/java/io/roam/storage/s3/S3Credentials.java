package io.roam.storage.s3;

import static java.util.Objects.requireNonNull;

import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Where a profile's credentials come from. Never the secret itself: a profile names the source
 * (the SDK's default chain, environment variables by name, a mounted file by path).
 */
sealed interface S3Credentials {

    /** The values of the {@code credentials} property. */
    enum Source {
        DEFAULT, ENVIRONMENT, FILE, ANONYMOUS
    }

    /**
     * The provider that signs this profile's requests. Failures to obtain credentials, then or later,
     * are {@link StorageException}s of kind {@link StorageErrorKind#ACCESS_DENIED}.
     *
     * @param environment the process environment (a parameter so that tests can supply their own)
     * @throws IllegalArgumentException when an environment variable the profile names is not set
     */
    AwsCredentialsProvider provider(String profileName, Map<String, String> environment);

    /**
     * The SDK's default chain: system properties, {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY},
     * web identity tokens (EKS IRSA, pod identity), the shared {@code ~/.aws} files, container and
     * instance metadata.
     *
     * @param awsProfile the profile of the shared AWS files to use instead of {@code AWS_PROFILE} or {@code default}
     */
    record Default(Optional<String> awsProfile) implements S3Credentials {

        public Default {
            requireNonNull(awsProfile, "awsProfile is null");
        }

        @Override
        public AwsCredentialsProvider provider(String profileName, Map<String, String> environment) {
            DefaultCredentialsProvider.Builder builder = DefaultCredentialsProvider.builder();
            awsProfile.ifPresent(builder::profileName);
            return new Classified(builder.build(), profileName);
        }
    }

    /** Static credentials read once from environment variables whose names the profile gives. */
    record Environment(String accessKeyIdVariable, String secretAccessKeyVariable, Optional<String> sessionTokenVariable) implements S3Credentials {

        public Environment {
            requireNonNull(accessKeyIdVariable, "accessKeyIdVariable is null");
            requireNonNull(secretAccessKeyVariable, "secretAccessKeyVariable is null");
            requireNonNull(sessionTokenVariable, "sessionTokenVariable is null");
        }

        @Override
        public AwsCredentialsProvider provider(String profileName, Map<String, String> environment) {
            String accessKeyId = variable(environment, accessKeyIdVariable, S3Configuration.ACCESS_KEY_ID_ENV, profileName);
            String secretAccessKey = variable(environment, secretAccessKeyVariable, S3Configuration.SECRET_ACCESS_KEY_ENV, profileName);
            AwsCredentials credentials = sessionTokenVariable
                    .map(name -> (AwsCredentials) AwsSessionCredentials.create(accessKeyId, secretAccessKey,
                            variable(environment, name, S3Configuration.SESSION_TOKEN_ENV, profileName)))
                    .orElseGet(() -> AwsBasicCredentials.create(accessKeyId, secretAccessKey));
            return StaticCredentialsProvider.create(credentials);
        }

        private static String variable(Map<String, String> environment, String name, String property, String profileName) {
            String value = environment.get(name);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("environment variable '%s', named by property '%s' of storage profile '%s', is not set"
                        .formatted(name, property, profileName));
            }
            return value.strip();
        }
    }

    /** A mounted secret file, read again whenever it changes, so that rotated keys are picked up. */
    record File(Path path) implements S3Credentials {

        public File {
            requireNonNull(path, "path is null");
        }

        @Override
        public AwsCredentialsProvider provider(String profileName, Map<String, String> environment) {
            return new FileCredentialsProvider(path, profileName);
        }
    }

    /** Unsigned requests, for public buckets. */
    record Anonymous() implements S3Credentials {

        @Override
        public AwsCredentialsProvider provider(String profileName, Map<String, String> environment) {
            return AnonymousCredentialsProvider.create();
        }
    }

    /**
     * Turns the SDK's failures to find credentials into {@link StorageErrorKind#ACCESS_DENIED}: without
     * credentials no request can succeed, and retrying will not help until someone fixes them.
     */
    final class Classified implements AwsCredentialsProvider, AutoCloseable {

        private final DefaultCredentialsProvider delegate;
        private final String profileName;

        Classified(DefaultCredentialsProvider delegate, String profileName) {
            this.delegate = delegate;
            this.profileName = profileName;
        }

        @Override
        public AwsCredentials resolveCredentials() {
            try {
                return delegate.resolveCredentials();
            }
            catch (RuntimeException exception) {
                throw new StorageException(StorageErrorKind.ACCESS_DENIED, "cannot obtain the credentials of storage profile '%s' from the default chain: %s"
                        .formatted(profileName, exception.getMessage()), exception);
            }
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
