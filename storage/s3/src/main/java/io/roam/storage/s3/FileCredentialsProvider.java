package io.roam.storage.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Credentials from a file mounted as a secret, such as a Kubernetes Secret volume. The file holds
 * {@code key = value} lines with the access key id, the secret access key and optionally a session
 * token, under the names of an AWS shared credentials file ({@code aws_access_key_id},
 * {@code aws_secret_access_key}, {@code aws_session_token}). Names are matched ignoring case and
 * treating {@code -} as {@code _}, so an env-style file ({@code AWS_ACCESS_KEY_ID=...}) works too.
 * Blank lines, comments ({@code #} or {@code ;}) and one section header (such as {@code [default]})
 * are allowed.
 *
 * <p>The file is read again when its modification time or size changes, so rotated keys are used
 * without a restart. Failures name the file and the problem, never a value from it.
 */
final class FileCredentialsProvider implements AwsCredentialsProvider {

    private static final String ACCESS_KEY_ID = "aws_access_key_id";
    private static final String SECRET_ACCESS_KEY = "aws_secret_access_key";
    private static final String SESSION_TOKEN = "aws_session_token";
    private static final List<String> NAMES = List.of(ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN);

    private final Path path;
    private final String profileName;
    private volatile Snapshot snapshot;

    private record Snapshot(FileTime lastModified, long size, AwsCredentials credentials) {}

    FileCredentialsProvider(Path path, String profileName) {
        this.path = requireNonNull(path, "path is null");
        this.profileName = requireNonNull(profileName, "profileName is null");
    }

    @Override
    public AwsCredentials resolveCredentials() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            Snapshot current = snapshot;
            if (current != null && current.lastModified().equals(attributes.lastModifiedTime()) && current.size() == attributes.size()) {
                return current.credentials();
            }
            AwsCredentials credentials = parse(Files.readAllLines(path, UTF_8));
            snapshot = new Snapshot(attributes.lastModifiedTime(), attributes.size(), credentials);
            return credentials;
        }
        catch (NoSuchFileException exception) {
            throw unusable("it does not exist", exception);
        }
        catch (IOException exception) {
            throw unusable("it cannot be read (%s)".formatted(exception.getClass().getSimpleName()), exception);
        }
    }

    private AwsCredentials parse(List<String> lines) {
        Map<String, String> values = new HashMap<>();
        boolean sectionSeen = false;
        for (int index = 0; index < lines.size(); index++) {
            String line = lines.get(index).strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (sectionSeen) {
                    throw unusable("it has more than one section; mount a file with the credentials of one identity", null);
                }
                sectionSeen = true;
                continue;
            }
            int equals = line.indexOf('=');
            if (equals < 0) {
                // Never quote the line: it may be a secret written without a name.
                throw unusable("line %d is not 'name = value'".formatted(index + 1), null);
            }
            String name = line.substring(0, equals).strip().toLowerCase(Locale.ROOT).replace('-', '_');
            if (NAMES.contains(name)) {
                values.put(name, line.substring(equals + 1).strip());
            }
        }
        String accessKeyId = required(values, ACCESS_KEY_ID);
        String secretAccessKey = required(values, SECRET_ACCESS_KEY);
        String sessionToken = values.get(SESSION_TOKEN);
        return sessionToken == null || sessionToken.isEmpty()
                ? AwsBasicCredentials.create(accessKeyId, secretAccessKey)
                : AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken);
    }

    private String required(Map<String, String> values, String name) {
        String value = values.get(name);
        if (value == null || value.isEmpty()) {
            throw unusable("it has no " + name, null);
        }
        return value;
    }

    private StorageException unusable(String problem, Exception cause) {
        return new StorageException(StorageErrorKind.ACCESS_DENIED,
                "cannot use credentials file '%s' of storage profile '%s': %s".formatted(path, profileName, problem), cause);
    }
}
