package io.roam.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.models.Block;
import io.roam.storage.Checksum;
import io.roam.storage.ChecksumCalculator;
import io.roam.storage.testing.TestContent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Which stored block lists and MD5s are the checksum a write computes, as the file system reads them. */
class BlockBlobChecksumsTest {

    private static final int BLOCK_SIZE = 1000;

    @Test
    void aBlobOfAtMostOneBlockIsVerifiedByItsContentMd5() {
        byte[] content = bytes(BLOCK_SIZE, 1);

        assertThat(BlockBlobChecksums.stored(BLOCK_SIZE, md5(content), List.of(), BLOCK_SIZE)).contains(computed(content));
        assertThat(BlockBlobChecksums.stored(0, md5(new byte[0]), List.of(), BLOCK_SIZE)).contains(computed(new byte[0]));
        assertThat(BlockBlobChecksums.stored(BLOCK_SIZE, null, List.of(), BLOCK_SIZE)).isEmpty();
    }

    @Test
    void aLargerBlobIsVerifiedByTheMd5sItsBlockIdsName() {
        byte[] content = bytes(2 * BLOCK_SIZE + 1, 2);

        assertThat(BlockBlobChecksums.stored(content.length, null, blocksOf(content), BLOCK_SIZE)).contains(computed(content));
    }

    @Test
    void blocksNotAsTheWriterCutsThemGiveNoChecksum() {
        byte[] content = bytes(3 * BLOCK_SIZE, 3);
        List<Block> blocks = blocksOf(content);

        assertThat(BlockBlobChecksums.stored(content.length, null, List.of(blocks.get(0), blocks.get(2), blocks.get(1)), BLOCK_SIZE))
                .as("out of order").isEmpty();
        assertThat(BlockBlobChecksums.stored(2L * BLOCK_SIZE, null, blocks.subList(1, 3), BLOCK_SIZE)).as("not from index 0").isEmpty();
        assertThat(BlockBlobChecksums.stored(content.length, null, blocks, 2 * BLOCK_SIZE)).as("another block size").isEmpty();
        assertThat(BlockBlobChecksums.stored(content.length + 1L, null, blocks, BLOCK_SIZE)).as("another size").isEmpty();
        assertThat(BlockBlobChecksums.stored(BLOCK_SIZE, md5(bytes(BLOCK_SIZE, 3)), blocks.subList(0, 1), BLOCK_SIZE))
                .as("one committed block: the Content-MD5 was not checked").isEmpty();
        assertThat(BlockBlobChecksums.stored(content.length, md5(content), List.of(), BLOCK_SIZE)).as("sent whole though larger than a block").isEmpty();
    }

    private static List<Block> blocksOf(byte[] content) {
        List<Block> blocks = new ArrayList<>();
        for (int offset = 0; offset < content.length; offset += BLOCK_SIZE) {
            int length = Math.min(BLOCK_SIZE, content.length - offset);
            byte[] block = Arrays.copyOfRange(content, offset, offset + length);
            blocks.add(new Block().setName(BlockIds.ofContent(blocks.size(), md5(block))).setSizeLong(length));
        }
        return blocks;
    }

    private static Checksum computed(byte[] content) {
        ChecksumCalculator calculator = BlockBlobChecksums.ofWrite(content.length, BLOCK_SIZE);
        calculator.update(content, 0, content.length);
        return calculator.value();
    }

    private static byte[] md5(byte[] bytes) {
        return ChecksumCalculator.messageDigest("MD5").digest(bytes);
    }

    private static byte[] bytes(int length, int seed) {
        return new TestContent(seed, length).bytes();
    }
}
