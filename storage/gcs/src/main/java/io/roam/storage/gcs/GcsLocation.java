package io.roam.storage.gcs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * A location in Google Cloud Storage, {@code gs://bucket/object/name} or its alias
 * {@code gcs://bucket/object/name}, checked against GCS's naming rules: bucket names of 3 to 63
 * lowercase letters, digits, {@code -}, {@code _} and {@code .} (up to 222 with dots, 63 per
 * dot-separated part), starting and ending with a letter or digit, not an IP address, not starting
 * with {@code goog} and not containing {@code google}; object names of at most 1024 bytes in UTF-8.
 *
 * @param bucket the bucket
 * @param name the object name, or the prefix for a directory; empty for the whole bucket
 */
record GcsLocation(String bucket, String name) {

    static final Set<String> SCHEMES = Set.of("gs", "gcs");

    private static final int MAXIMUM_OBJECT_NAME_BYTES = 1024;
    private static final Pattern BUCKET_CHARACTERS = Pattern.compile("[a-z0-9][a-z0-9._-]*[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("[0-9]{1,3}(?:\\.[0-9]{1,3}){3}");
    // GCS refuses "google" and close misspellings of it in bucket names.
    private static final Pattern GOOGLE = Pattern.compile("g[o0]{2}g[l1]e");

    GcsLocation {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(name, "name is null");
    }

    /**
     * @throws StorageException of kind {@link StorageErrorKind#INVALID_LOCATION} when the location is
     *     not a GCS location or breaks GCS's naming rules
     */
    static GcsLocation of(Location location) {
        requireNonNull(location, "location is null");
        if (!SCHEMES.contains(location.scheme())) {
            throw invalid(location, "not a Google Cloud Storage location: the scheme must be 'gs' or 'gcs'");
        }
        String bucket = location.host().orElseThrow(() -> invalid(location, "no bucket"));
        String problem = bucketNameProblem(bucket);
        if (problem != null) {
            throw invalid(location, "invalid bucket name '%s': %s".formatted(bucket, problem));
        }
        String name = location.path();
        if (name.getBytes(UTF_8).length > MAXIMUM_OBJECT_NAME_BYTES) {
            throw invalid(location, "the object name is longer than %d bytes in UTF-8".formatted(MAXIMUM_OBJECT_NAME_BYTES));
        }
        return new GcsLocation(bucket, name);
    }

    /** Why a bucket name breaks GCS's rules, or null when it keeps them. */
    static String bucketNameProblem(String bucket) {
        if (bucket.length() < 3) {
            return "shorter than 3 characters";
        }
        if (!BUCKET_CHARACTERS.matcher(bucket).matches()) {
            return "only lowercase letters, digits, '-', '_' and '.' are allowed, starting and ending with a letter or digit";
        }
        if (bucket.contains(".")) {
            if (bucket.length() > 222) {
                return "longer than 222 characters";
            }
            for (String component : bucket.split("\\.", -1)) {
                if (component.isEmpty() || component.length() > 63) {
                    return "each dot-separated part must have 1 to 63 characters";
                }
            }
        }
        else if (bucket.length() > 63) {
            return "longer than 63 characters";
        }
        if (IP_ADDRESS.matcher(bucket).matches()) {
            return "an IP address is not a bucket name";
        }
        if (bucket.startsWith("goog") || GOOGLE.matcher(bucket).find()) {
            return "names starting with 'goog' or containing 'google' are reserved";
        }
        return null;
    }

    private static StorageException invalid(Location location, String problem) {
        return new StorageException(StorageErrorKind.INVALID_LOCATION, "'%s': %s".formatted(location, problem));
    }
}
