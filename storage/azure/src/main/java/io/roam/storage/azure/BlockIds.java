package io.roam.storage.azure;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ids Roam gives the blocks it stages. Every id of one blob must have the same length, so both kinds
 * are 44 characters before Base64: {@code roam-NNNNN-<md5 of the block>} for written blocks, whose id
 * thus names their content (a resumed writer can tell from an id alone whether a staged block holds the
 * bytes it would send, and two writers can never give different bytes one id), and {@code
 * copy-NNNNN-<random>} for blocks staged from a URL, whose content Roam never sees.
 */
final class BlockIds {

    private BlockIds() {
    }

    /** The id of the block at a zero-based index holding bytes with this MD5. */
    static String ofContent(int index, byte[] md5) {
        return encode("roam-%05d-%s".formatted(index, HexFormat.of().formatHex(md5)));
    }

    /** A prefix unique to one server-side copy, for {@link #ofCopy}. */
    static String newCopyPrefix() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong());
    }

    /** The id of the block at a zero-based index of the server-side copy with this prefix. */
    static String ofCopy(String copyPrefix, int index) {
        return encode("copy-%05d-%s".formatted(index, copyPrefix));
    }

    private static String encode(String id) {
        return Base64.getEncoder().encodeToString(id.getBytes(StandardCharsets.US_ASCII));
    }
}
