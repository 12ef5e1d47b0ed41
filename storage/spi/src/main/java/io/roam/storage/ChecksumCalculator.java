package io.roam.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * Computes a checksum over bytes given in order. Not thread safe: one calculator per file.
 */
public interface ChecksumCalculator {

    void update(byte[] bytes, int offset, int length);

    /** The checksum of every byte given so far. Called once, after the last byte. */
    Checksum value();

    /** The CRC32C of the whole content, as 8 lowercase hexadecimal digits (algorithm {@code crc32c}). */
    static ChecksumCalculator crc32c() {
        CRC32C crc = new CRC32C();
        return new ChecksumCalculator() {
            @Override
            public void update(byte[] bytes, int offset, int length) {
                crc.update(bytes, offset, length);
            }

            @Override
            public Checksum value() {
                return new Checksum("crc32c", "%08x".formatted(crc.getValue()));
            }
        };
    }

    /** The MD5 of the whole content in lowercase hexadecimal (algorithm {@code md5}). */
    static ChecksumCalculator md5() {
        MessageDigest digest = messageDigest("MD5");
        return new ChecksumCalculator() {
            @Override
            public void update(byte[] bytes, int offset, int length) {
                digest.update(bytes, offset, length);
            }

            @Override
            public Checksum value() {
                return new Checksum("md5", HexFormat.of().formatHex(digest.digest()));
            }
        };
    }

    /** A {@link MessageDigest} every Java platform provides (MD5, SHA-256). */
    static MessageDigest messageDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        }
        catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java platform provides " + algorithm, impossible);
        }
    }
}
