package io.roam.storage;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.IntToLongFunction;
import java.util.zip.CRC32C;

/**
 * The checksum object stores keep for a file uploaded in parts: a digest of each part, then the same
 * digest over the concatenated part digests, followed by {@code -} and the number of parts. S3 computes
 * a multipart upload's ETag so (MD5) and its composite CRC32C; Roam's Azure block lists are checked so
 * (MD5). The value is the combined digest in lowercase hexadecimal, then {@code -<parts>}.
 */
public final class PartwiseChecksumCalculator implements ChecksumCalculator {

    private final String algorithm;
    private final IntToLongFunction partSizes;
    private final PartDigest partDigest;
    private final PartDigest combinedDigest;
    private int parts;
    private long leftInPart;
    private long bytesInPart;

    private PartwiseChecksumCalculator(String algorithm, IntToLongFunction partSizes, PartDigest partDigest, PartDigest combinedDigest) {
        this.algorithm = requireNonNull(algorithm, "algorithm is null");
        this.partSizes = requireNonNull(partSizes, "partSizes is null");
        this.partDigest = partDigest;
        this.combinedDigest = combinedDigest;
    }

    /**
     * MD5 of each part, MD5 of those.
     *
     * @param algorithm the name the checksum is recorded under, for example {@code s3-multipart-md5}
     * @param partSizes the size of the part of each index from 0; the last part may be shorter
     */
    public static PartwiseChecksumCalculator md5(String algorithm, IntToLongFunction partSizes) {
        return new PartwiseChecksumCalculator(algorithm, partSizes, new Md5(), new Md5());
    }

    /** CRC32C of each part (4 bytes, big-endian), CRC32C of those; see {@link #md5}. */
    public static PartwiseChecksumCalculator crc32c(String algorithm, IntToLongFunction partSizes) {
        return new PartwiseChecksumCalculator(algorithm, partSizes, new Crc32c(), new Crc32c());
    }

    /** The value this calculator gives for a combined digest and a number of parts. */
    public static String value(byte[] combinedDigest, int parts) {
        return HexFormat.of().formatHex(combinedDigest) + "-" + parts;
    }

    @Override
    public void update(byte[] bytes, int offset, int length) {
        int done = 0;
        while (done < length) {
            if (leftInPart == 0) {
                leftInPart = partSizes.applyAsLong(parts++);
            }
            int chunk = (int) Math.min(length - done, leftInPart);
            partDigest.update(bytes, offset + done, chunk);
            done += chunk;
            leftInPart -= chunk;
            bytesInPart += chunk;
            if (leftInPart == 0) {
                finishPart();
            }
        }
    }

    @Override
    public Checksum value() {
        if (bytesInPart > 0) {
            finishPart();
        }
        return new Checksum(algorithm, value(combinedDigest.finish(), parts));
    }

    private void finishPart() {
        byte[] digest = partDigest.finish();
        combinedDigest.update(digest, 0, digest.length);
        bytesInPart = 0;
        leftInPart = 0;
    }

    private interface PartDigest {
        void update(byte[] bytes, int offset, int length);

        /** The digest of what was given since the last call, and a fresh start. */
        byte[] finish();
    }

    private static final class Md5 implements PartDigest {
        private final MessageDigest digest = ChecksumCalculator.messageDigest("MD5");

        @Override
        public void update(byte[] bytes, int offset, int length) {
            digest.update(bytes, offset, length);
        }

        @Override
        public byte[] finish() {
            return digest.digest();
        }
    }

    private static final class Crc32c implements PartDigest {
        private final CRC32C crc = new CRC32C();

        @Override
        public void update(byte[] bytes, int offset, int length) {
            crc.update(bytes, offset, length);
        }

        @Override
        public byte[] finish() {
            byte[] value = ByteBuffer.allocate(Integer.BYTES).putInt((int) crc.getValue()).array();
            crc.reset();
            return value;
        }
    }
}
