package io.roam.storage.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A location this backend serves, {@code s3://bucket/key}, checked against S3's naming rules: the
 * bucket is the host, the key is the path as written.
 *
 * <p>Bucket names follow the rules for buckets created since 2018: 3 to 63 characters, lowercase
 * letters, digits, dots and hyphens, starting and ending with a letter or a digit, no two adjacent dots,
 * not shaped like an IPv4 address, and none of the prefixes S3 reserves. Legacy us-east-1 names with
 * capitals or underscores are not served.
 *
 * @param location the location as written
 * @param bucket the bucket name
 * @param key the object key (a directory location's key is a prefix ending with {@code /}, or empty)
 */
record S3Location(Location location, String bucket, String key) {

    static final String SCHEME = "s3";
    /** S3 refuses longer keys. */
    static final int MAXIMUM_KEY_BYTES = 1024;

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("[0-9]{1,3}(?:\\.[0-9]{1,3}){3}");
    private static final List<String> RESERVED_PREFIXES = List.of("xn--", "sthree-", "amzn-s3-demo-");

    S3Location {
        requireNonNull(location, "location is null");
        requireNonNull(bucket, "bucket is null");
        requireNonNull(key, "key is null");
    }

    /**
     * @throws StorageException of kind {@link StorageErrorKind#INVALID_LOCATION} when the location is
     *     not an {@code s3://} location with a valid bucket name and key
     */
    static S3Location of(Location location) {
        requireNonNull(location, "location is null");
        if (!location.scheme().equals(SCHEME)) {
            throw invalid("'%s' is not an S3 location: expected 's3://bucket/key'".formatted(location));
        }
        String bucket = location.host().orElseThrow(() -> invalid("'%s' has no bucket".formatted(location)));
        String problem = bucketNameProblem(bucket);
        if (problem != null) {
            throw invalid("'%s' has an invalid S3 bucket name '%s': %s".formatted(location, bucket, problem));
        }
        String key = location.path();
        int keyBytes = key.getBytes(UTF_8).length;
        if (keyBytes > MAXIMUM_KEY_BYTES) {
            throw invalid("'%s' has a key of %d bytes in UTF-8; S3 keys are at most %d bytes".formatted(location, keyBytes, MAXIMUM_KEY_BYTES));
        }
        return new S3Location(location, bucket, key);
    }

    /** Why a bucket name breaks S3's rules, or null when it is valid. */
    static String bucketNameProblem(String bucket) {
        if (bucket.length() < 3 || bucket.length() > 63) {
            return "bucket names are 3 to 63 characters long";
        }
        if (!BUCKET.matcher(bucket).matches()) {
            return "bucket names consist of lowercase letters, digits, dots and hyphens, and start and end with a letter or a digit";
        }
        if (bucket.contains("..")) {
            return "bucket names have no two adjacent dots";
        }
        if (IP_ADDRESS.matcher(bucket).matches()) {
            return "bucket names are not formatted as IP addresses";
        }
        for (String prefix : RESERVED_PREFIXES) {
            if (bucket.startsWith(prefix)) {
                return "the prefix '%s' is reserved".formatted(prefix);
            }
        }
        return null;
    }

    private static StorageException invalid(String message) {
        return new StorageException(StorageErrorKind.INVALID_LOCATION, message);
    }
}
