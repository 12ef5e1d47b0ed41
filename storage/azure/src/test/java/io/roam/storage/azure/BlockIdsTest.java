package io.roam.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.roam.storage.azure.BlockIds.ContentId;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class BlockIdsTest {

    private static final String MD5 = "0123456789abcdef0123456789abcdef";

    @Test
    void theIdOfAWrittenBlockNamesItsIndexAndMd5() {
        String id = BlockIds.ofContent(49_999, HexFormat.of().parseHex(MD5));

        assertThat(BlockIds.parseContent(id)).contains(new ContentId(49_999, MD5));
    }

    @Test
    void idsOfWrittenAndCopiedBlocksHaveOneLength() {
        assertThat(BlockIds.ofContent(0, new byte[16])).hasSameSizeAs(BlockIds.ofCopy(BlockIds.newCopyPrefix(), 0));
    }

    @Test
    void otherIdsNameNoContent() {
        assertThat(BlockIds.parseContent(BlockIds.ofCopy(BlockIds.newCopyPrefix(), 3))).isEmpty();
        assertThat(BlockIds.parseContent("not base64!")).isEmpty();
        assertThat(BlockIds.parseContent(base64("roam-00001-" + MD5.toUpperCase()))).isEmpty();
        assertThat(BlockIds.parseContent(base64("roam-1-" + MD5))).isEmpty();
        assertThat(BlockIds.parseContent(base64("roam-00001-" + MD5 + "00"))).isEmpty();
        // What the SDK's own uploads stage: a random UUID.
        assertThat(BlockIds.parseContent(base64("5b3a0f4e-2c4f-4c39-9d55-4bbf0a5a4c21"))).isEmpty();
    }

    private static String base64(String id) {
        return Base64.getEncoder().encodeToString(id.getBytes(StandardCharsets.US_ASCII));
    }
}
