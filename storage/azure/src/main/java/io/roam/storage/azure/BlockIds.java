package io.roam.storage.azure;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ids Roam gives the blocks it stages. Every id of one blob must have the same length, so both kinds
 * are 43 characters before Base64: {@code roam-NNNNN-<md5 of the block>} for written blocks, whose id
 * thus names their content (a resumed writer can tell from an id alone whether a staged block holds the
 * bytes it would send, and two writers can never give different bytes one id), and {@code
 * copy-NNNNN-<random>} for blocks staged from a URL, whose content Roam never sees.
 */
final class BlockIds {

    private static final Pattern CONTENT_ID = Pattern.compile("roam-([0-9]{5})-([0-9a-f]{32})");

    /**
     * What the id of a written block says about it.
     *
     * @param index the block's zero-based index in the blob it was written for
     * @param md5 the MD5 of the block's bytes, which the service checked when the block was staged
     */
    record ContentId(int index, String md5) {}

    private BlockIds() {
    }

    /** The id of the block at a zero-based index holding bytes with this MD5. */
    static String ofContent(int index, byte[] md5) {
        return encode("roam-%05d-%s".formatted(index, HexFormat.of().formatHex(md5)));
    }

    /**
     * The index and MD5 an id of {@link #ofContent} names, or empty for any other id: one of a server-side
     * copy, of another tool, or not Base64 at all.
     */
    static Optional<ContentId> parseContent(String blockId) {
        requireNonNull(blockId, "blockId is null");
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(blockId), StandardCharsets.US_ASCII);
        }
        catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        Matcher matcher = CONTENT_ID.matcher(decoded);
        return matcher.matches() ? Optional.of(new ContentId(Integer.parseInt(matcher.group(1)), matcher.group(2))) : Optional.empty();
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
