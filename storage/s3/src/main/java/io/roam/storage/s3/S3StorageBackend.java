package io.roam.storage.s3;

import io.roam.storage.StorageBackend;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageProfile;

/**
 * Amazon S3 and S3-compatible stores (MinIO, Ceph RGW, Cloudflare R2, S3Proxy), through the AWS SDK
 * for Java v2. Serves {@code s3://bucket/key} locations under the profile's roots; bucket names must
 * follow S3's rules (3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a
 * letter or digit, not shaped like an IP address), otherwise the location is
 * {@link io.roam.storage.StorageErrorKind#INVALID_LOCATION invalid}. The file system it creates also
 * implements {@link io.roam.storage.ServerSideCopy} within its endpoint.
 *
 * <p>The profile's {@code region} (for example {@code eu-west-1}; {@code auto} for R2) is the signing
 * region. Without one, S3-compatible endpoints get {@code us-east-1} and AWS gets the SDK's region
 * chain ({@code AWS_REGION}, {@code ~/.aws/config}); buckets in other AWS regions are reached anyway.
 *
 * <p>Profile properties ({@code roam.storage.profiles.<name>.properties.<key>}), all optional:
 * <dl>
 *   <dt>{@code endpoint}</dt>
 *   <dd>The URL of an S3-compatible store, such as {@code http://minio.storage:9000}. Default: AWS S3.</dd>
 *   <dt>{@code path-style-access}</dt>
 *   <dd>{@code true} to address buckets as {@code endpoint/bucket/key} (MinIO, S3Proxy, most on-premises
 *       stores) instead of {@code bucket.endpoint/key}. Default {@code false}.</dd>
 *   <dt>{@code part-size}</dt>
 *   <dd>Bytes per multipart upload part, with an optional unit {@code B}, {@code KiB}, {@code MiB},
 *       {@code GiB}: 5MiB to 512MiB, default 8MiB. Files up to one part are written with one PutObject.
 *       Parts grow by this size every 1,000 parts to stay within S3's 10,000 parts, which bounds the
 *       largest file to about 55,000 times the part size (430 GiB at 8MiB; choose 64MiB for 3.4 TiB).</dd>
 *   <dt>{@code upload-concurrency}</dt>
 *   <dd>Parts of one file uploaded at the same time, 1 to 16, default 4. A writer holds at most this
 *       many parts plus one in memory.</dd>
 *   <dt>{@code upload-checksum}</dt>
 *   <dd>What S3 verifies each part (or single-request object) against: {@code crc32c} (default,
 *       {@code x-amz-checksum-crc32c}), {@code md5} ({@code Content-MD5}, for stores without the
 *       flexible checksums), or {@code none}.</dd>
 *   <dt>{@code sign-payloads}</dt>
 *   <dd>Whether request bodies sent over plain HTTP are signed with their SHA-256, default {@code true};
 *       {@code false} sends them {@code UNSIGNED-PAYLOAD}, protected by the upload checksum against damage
 *       but not against a network that alters them, and spares hashing every byte again on both sides.
 *       Bodies sent over HTTPS are never signed: TLS protects them.</dd>
 *   <dt>{@code multipart-copy-threshold}</dt>
 *   <dd>Server-side copies of larger files use UploadPartCopy instead of one CopyObject: 5MiB to 5GiB
 *       (S3's CopyObject limit, the default).</dd>
 *   <dt>{@code list-page-size}</dt>
 *   <dd>Keys per ListObjectsV2 page, 1 to 1000 (default).</dd>
 *   <dt>{@code max-connections}</dt>
 *   <dd>HTTP connections to the endpoint, shared by every transfer of the profile, default 64.</dd>
 *   <dt>{@code http-client}</dt>
 *   <dd>{@code apache} (default: Apache HttpClient 5, pure Java) or {@code crt} (the AWS Common Runtime's
 *       native HTTP client, which spends less processor time per request: worth trying for many small
 *       files, slower on large ones in the benchmark; it loads its native library from the JVM's
 *       temporary directory).</dd>
 *   <dt>{@code trust-certificates}</dt>
 *   <dd>The path of a PEM file of certificates to trust instead of the JVM's trust store, such as the
 *       private CA of an on-premises store's HTTPS endpoint; read when the profile is created. Only with
 *       {@code http-client=apache} (the CRT client trusts only the JVM's trust store). Default: the JVM's
 *       trust store. A server whose certificate is not trusted fails every request as fatal.</dd>
 *   <dt>{@code credentials}</dt>
 *   <dd>Where the keys come from; never the keys themselves:
 *     <ul>
 *       <li>{@code default}: the AWS SDK's default chain (system properties, {@code AWS_ACCESS_KEY_ID} and
 *           {@code AWS_SECRET_ACCESS_KEY}, web identity tokens as used by EKS IRSA and pod identity, the
 *           shared {@code ~/.aws} files, container and instance roles). {@code credentials-profile}
 *           picks a profile of the shared files.</li>
 *       <li>{@code environment}: {@code access-key-id-env} and {@code secret-access-key-env} name the
 *           environment variables holding the key id and the secret (such as {@code ROAM_S3_ACCESS_KEY_ID});
 *           {@code session-token-env} optionally names one holding a session token.</li>
 *       <li>{@code file}: {@code credentials-file} is the path of a file mounted as a secret, with
 *           {@code aws_access_key_id = ...} and {@code aws_secret_access_key = ...} lines (optionally
 *           {@code aws_session_token}), in the format of an AWS credentials file with one section or of
 *           an env file ({@code AWS_ACCESS_KEY_ID=...}). Read again whenever it changes.</li>
 *       <li>{@code anonymous}: unsigned requests, for public buckets.</li>
 *     </ul>
 *     Default {@code default}. Properties of another kind of credentials are refused.</dd>
 * </dl>
 * Unknown properties are refused, so that a typo does not silently fall back to a default.
 */
public final class S3StorageBackend implements StorageBackend {

    public static final String NAME = "s3";

    @Override
    public String name() {
        return NAME;
    }

    /**
     * @throws IllegalArgumentException when a root is not an {@code s3://} location with a valid bucket
     *     name, a property is unknown or invalid, or an environment variable named by the profile is unset
     */
    @Override
    public StorageFileSystem create(StorageProfile profile) {
        return new S3FileSystem(profile, System.getenv());
    }
}
