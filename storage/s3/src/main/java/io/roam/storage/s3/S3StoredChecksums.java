package io.roam.storage.s3;

import io.roam.storage.Checksum;
import io.roam.storage.ChecksumCalculator;
import io.roam.storage.PartwiseChecksumCalculator;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The checksums S3 keeps for an object, as Roam compares them, and their computation from the bytes
 * written. With {@code upload-checksum=crc32c}: the CRC32C S3 checked on upload, of the whole object after
 * a PutObject, composite (the CRC32C of the parts' CRC32Cs, {@code -N}) after a multipart upload. Otherwise
 * the ETag, which S3 computes as the MD5 of the object, or of the parts' MD5s ({@code -N}), unless the
 * object is encrypted with SSE-KMS or SSE-C. S3 reports them in its answers to HeadObject, PutObject and
 * CompleteMultipartUpload alike.
 */
final class S3StoredChecksums {

    /** The checksum S3 keeps for a multipart upload with CRC32C parts. */
    static final String COMPOSITE_CRC32C = "s3-composite-crc32c";
    /** The ETag S3 computes for a multipart upload: the MD5 of the parts' MD5s. */
    static final String MULTIPART_ETAG = "s3-multipart-md5";

    private static final Pattern CRC32C = Pattern.compile("([A-Za-z0-9+/]{6}==)(?:-(\\d+))?");
    private static final Pattern SINGLE_PART_ETAG = Pattern.compile("\"?([0-9a-fA-F]{32})\"?");
    private static final Pattern MULTIPART_ETAG_VALUE = Pattern.compile("\"?([0-9a-fA-F]{32}-\\d+)\"?");

    private S3StoredChecksums() {
    }

    /** A calculator of what S3 keeps for an object of {@code size} bytes written by {@link S3OutputStream}. */
    static ChecksumCalculator checksumOfWrite(S3Configuration configuration, long size) {
        // S3OutputStream sends what fits in one part with a single PutObject.
        boolean singlePut = size <= S3OutputStream.partSize(configuration, 0);
        if (configuration.uploadChecksum() == S3Configuration.UploadChecksum.CRC32C) {
            return singlePut
                    ? ChecksumCalculator.crc32c()
                    : PartwiseChecksumCalculator.crc32c(COMPOSITE_CRC32C, index -> S3OutputStream.partSize(configuration, index));
        }
        return singlePut
                ? ChecksumCalculator.md5()
                : PartwiseChecksumCalculator.md5(MULTIPART_ETAG, index -> S3OutputStream.partSize(configuration, index));
    }

    /**
     * What S3 reported keeping, of the kind the upload checksum makes comparable, or empty.
     *
     * @param crc32c the {@code x-amz-checksum-crc32c} of the answer, or null
     * @param eTag the ETag of the answer, or null
     * @param serverSideEncryption the {@code x-amz-server-side-encryption} of the answer, or null
     * @param customerKeyAlgorithm the {@code x-amz-server-side-encryption-customer-algorithm}, or null
     */
    static Optional<Checksum> reported(S3Configuration.UploadChecksum uploadChecksum, String crc32c, String eTag,
            String serverSideEncryption, String customerKeyAlgorithm) {
        if (uploadChecksum == S3Configuration.UploadChecksum.CRC32C) {
            return crc32c(crc32c);
        }
        Optional<Checksum> singlePart = singlePartMd5(eTag, serverSideEncryption, customerKeyAlgorithm);
        if (singlePart.isPresent() || eTag == null || encrypted(serverSideEncryption, customerKeyAlgorithm)) {
            return singlePart;
        }
        var matcher = MULTIPART_ETAG_VALUE.matcher(eTag);
        return matcher.matches()
                ? Optional.of(new Checksum(MULTIPART_ETAG, matcher.group(1).toLowerCase(Locale.ROOT)))
                : Optional.empty();
    }

    /**
     * The ETag as an MD5 when it is one: a single-part ETag (a multipart one ends with {@code -N}) of an
     * object not encrypted with a KMS key or a customer key, whose ETags are not MD5s.
     */
    static Optional<Checksum> singlePartMd5(String eTag, String serverSideEncryption, String customerKeyAlgorithm) {
        if (eTag == null || encrypted(serverSideEncryption, customerKeyAlgorithm)) {
            return Optional.empty();
        }
        var matcher = SINGLE_PART_ETAG.matcher(eTag);
        return matcher.matches() ? Optional.of(new Checksum("md5", matcher.group(1).toLowerCase(Locale.ROOT))) : Optional.empty();
    }

    /** A CRC32C, whole ({@code crc32c}) or composite ({@link #COMPOSITE_CRC32C}), in hexadecimal. */
    private static Optional<Checksum> crc32c(String value) {
        if (value == null) {
            return Optional.empty();
        }
        var matcher = CRC32C.matcher(value);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        String crc = HexFormat.of().formatHex(Base64.getDecoder().decode(matcher.group(1)));
        return Optional.of(matcher.group(2) == null
                ? new Checksum("crc32c", crc)
                : new Checksum(COMPOSITE_CRC32C, crc + "-" + matcher.group(2)));
    }

    private static boolean encrypted(String serverSideEncryption, String customerKeyAlgorithm) {
        String encryption = serverSideEncryption == null ? "" : serverSideEncryption.toLowerCase(Locale.ROOT);
        return encryption.startsWith("aws:kms") || customerKeyAlgorithm != null;
    }
}
