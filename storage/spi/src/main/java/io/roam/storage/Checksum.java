package io.roam.storage;

import static java.util.Objects.requireNonNull;

import java.util.HexFormat;

/**
 * A digest of a file's content together with the algorithm that produced it.
 *
 * @param algorithm the algorithm's name as Roam records it, for example {@code sha256}, {@code md5}
 *     or {@code crc32c}
 * @param value the digest in lowercase hexadecimal
 */
public record Checksum(String algorithm, String value) {

    public static final String SHA_256 = "sha256";

    public Checksum {
        requireNonNull(algorithm, "algorithm is null");
        requireNonNull(value, "value is null");
        if (algorithm.isBlank()) {
            throw new IllegalArgumentException("algorithm is blank");
        }
    }

    public static Checksum sha256(byte[] digest) {
        return new Checksum(SHA_256, HexFormat.of().formatHex(digest));
    }

    @Override
    public String toString() {
        return algorithm + ":" + value;
    }
}
