package io.roam.benchmarks;

import java.util.Random;

/**
 * The bytes of every benchmark file, generated rather than stored: a fixed random pattern that each file
 * starts at a different place in, so files differ from each other and nothing compresses.
 */
final class GeneratedContent {

    private static final int PATTERN_SIZE = 16 * 1024 * 1024;
    /** A prime stride, so that consecutive files start far apart in the pattern. */
    private static final long FILE_STRIDE = 1_048_583;

    private final byte[] pattern = new byte[PATTERN_SIZE];

    GeneratedContent(long seed) {
        new Random(seed).nextBytes(pattern);
    }

    /** Fills {@code buffer[0, length)} with the bytes of file {@code fileIndex} from {@code offset}. */
    void fill(int fileIndex, long offset, byte[] buffer, int length) {
        int filled = 0;
        while (filled < length) {
            int position = (int) Math.floorMod(fileIndex * FILE_STRIDE + offset + filled, (long) PATTERN_SIZE);
            int count = Math.min(length - filled, PATTERN_SIZE - position);
            System.arraycopy(pattern, position, buffer, filled, count);
            filled += count;
        }
    }

    /** The bytes of file {@code fileIndex} from {@code offset}, {@code length} of them. */
    byte[] bytes(int fileIndex, long offset, int length) {
        byte[] bytes = new byte[length];
        fill(fileIndex, offset, bytes, length);
        return bytes;
    }
}
