package io.roam.storage.testing;

import static java.util.Objects.checkFromIndexSize;

import io.roam.storage.Checksum;
import io.roam.storage.Location;
import io.roam.storage.StorageFileSystem;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic pseudo-random file content of any size, generated on the fly: a test can stream
 * gigabytes without holding them, and check what it reads back by digest. The byte at each position
 * depends only on the seed and the position, so any range can be generated directly.
 *
 * @param seed selects the content; different seeds give unrelated content
 * @param size the length in bytes
 */
public record TestContent(long seed, long size) {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final int DIGEST_BUFFER_SIZE = 64 * 1024;

    public TestContent {
        if (size < 0) {
            throw new IllegalArgumentException("size is negative: " + size);
        }
    }

    /** The byte at a position, {@code 0 <= position < size}. */
    public byte byteAt(long position) {
        if (position < 0 || position >= size) {
            throw new IndexOutOfBoundsException("position %d is outside content of size %d".formatted(position, size));
        }
        return byteOf(word(position >>> 3), position);
    }

    /** A new stream of the whole content. */
    public InputStream newInputStream() {
        return newInputStream(0);
    }

    /** A new stream of the content from {@code offset} to the end. */
    public InputStream newInputStream(long offset) {
        if (offset < 0 || offset > size) {
            throw new IndexOutOfBoundsException("offset %d is outside content of size %d".formatted(offset, size));
        }
        return new ContentInputStream(offset);
    }

    /** The whole content in memory, for small sizes. */
    public byte[] bytes() {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("content of size %d does not fit in an array".formatted(size));
        }
        try (InputStream stream = newInputStream()) {
            return stream.readAllBytes();
        }
        catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
    }

    /** The SHA-256 of the whole content. */
    public Checksum sha256() {
        return sha256From(0);
    }

    /** The SHA-256 of the content from {@code offset} to the end: what a read from that offset returns. */
    public Checksum sha256From(long offset) {
        try (InputStream stream = newInputStream(offset)) {
            return sha256Of(stream);
        }
        catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
    }

    /** Writes the whole content to {@code file} through the file system's {@code openWrite}, and closes the stream. */
    public void writeTo(StorageFileSystem target, Location file) throws IOException {
        try (InputStream source = newInputStream(); OutputStream stream = target.openWrite(file)) {
            source.transferTo(stream);
        }
    }

    /** The SHA-256 of a whole file, read through the file system. */
    public static Checksum sha256Of(StorageFileSystem source, Location file) throws IOException {
        try (InputStream stream = source.openRead(file, 0)) {
            return sha256Of(stream);
        }
    }

    /** Reads a stream to its end through a SHA-256 digest, holding only a small buffer. Does not close it. */
    public static Checksum sha256Of(InputStream stream) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException exception) {
            throw new IllegalStateException("every Java platform has SHA-256", exception);
        }
        byte[] buffer = new byte[DIGEST_BUFFER_SIZE];
        for (int count = stream.read(buffer); count >= 0; count = stream.read(buffer)) {
            digest.update(buffer, 0, count);
        }
        return Checksum.sha256(digest.digest());
    }

    /** The SHA-256 of bytes in memory. */
    public static Checksum sha256Of(byte[] bytes) {
        try {
            return sha256Of(new java.io.ByteArrayInputStream(bytes));
        }
        catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
    }

    /** Eight bytes of content, from the SplitMix64 finaliser of the seeded word index. */
    private long word(long index) {
        long mixed = seed + (index + 1) * GOLDEN_GAMMA;
        mixed = (mixed ^ (mixed >>> 30)) * 0xBF58476D1CE4E5B9L;
        mixed = (mixed ^ (mixed >>> 27)) * 0x94D049BB133111EBL;
        return mixed ^ (mixed >>> 31);
    }

    private static byte byteOf(long word, long position) {
        return (byte) (word >>> ((position & 7) << 3));
    }

    private final class ContentInputStream extends InputStream {

        private long position;

        ContentInputStream(long offset) {
            this.position = offset;
        }

        @Override
        public int read() {
            if (position >= size) {
                return -1;
            }
            return Byte.toUnsignedInt(byteAt(position++));
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            checkFromIndexSize(offset, length, buffer.length);
            if (length == 0) {
                return 0;
            }
            if (position >= size) {
                return -1;
            }
            int count = (int) Math.min(length, size - position);
            long word = word(position >>> 3);
            for (int index = 0; index < count; index++) {
                long current = position + index;
                if (index > 0 && (current & 7) == 0) {
                    word = word(current >>> 3);
                }
                buffer[offset + index] = byteOf(word, current);
            }
            position += count;
            return count;
        }

        @Override
        public long skip(long count) {
            long skipped = Math.max(0, Math.min(count, size - position));
            position += skipped;
            return skipped;
        }

        @Override
        public int available() {
            return (int) Math.min(size - position, Integer.MAX_VALUE);
        }
    }
}
