package io.roam.storage.azure;

import static java.util.Objects.requireNonNull;

import com.azure.storage.blob.models.Block;
import io.roam.storage.Checksum;
import io.roam.storage.ChecksumCalculator;
import io.roam.storage.PartwiseChecksumCalculator;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The checksum the service checked for a blob that {@link BlockBlobOutputStream} wrote, for {@link
 * AzureFileSystem}'s write verification. It depends on how the stream sent the blob:
 * <ul>
 *   <li>At most one block of bytes: one Put Blob with the content's MD5, which the service checks against
 *       the bytes and keeps as {@code Content-MD5}. The checksum is that MD5 (algorithm {@code md5}).
 *   <li>More: blocks of the block size, each staged with its MD5, which the service checked on arrival,
 *       under an id that names that MD5 ({@link BlockIds#ofContent}). The checksum is the MD5 of the
 *       blocks' MD5s and their number (algorithm {@value #BLOCK_MD5}, see {@link
 *       PartwiseChecksumCalculator}), read from the committed block list. The {@code Content-MD5} of such
 *       a blob is not used: Put Block List stores it as the client sends it, unchecked.
 * </ul>
 */
final class BlockBlobChecksums {

    static final String BLOCK_MD5 = "azure-block-md5";
    private static final int MD5_LENGTH = 16;

    private BlockBlobChecksums() {
    }

    /** A calculator of the checksum a blob of {@code size} bytes written in blocks of {@code blockSize} keeps. */
    static ChecksumCalculator ofWrite(long size, int blockSize) {
        if (size < 0) {
            throw new IllegalArgumentException("size is negative: " + size);
        }
        return BlockBlobOutputStream.isSentWhole(size, blockSize)
                ? ChecksumCalculator.md5()
                : PartwiseChecksumCalculator.md5(BLOCK_MD5, index -> blockSize);
    }

    /**
     * The checksum a stored blob keeps of the kind {@link #ofWrite} computes for its size, or empty when it
     * keeps none: it was not sent as {@link BlockBlobOutputStream} sends a blob of that size with that
     * block size (another tool, another block size, a server-side copy's {@code copy-} blocks).
     *
     * <p>A blob without committed blocks was sent whole (Put Blob), so its {@code Content-MD5} was checked
     * by the service, unless it was set later with Set Blob Properties, which no request tells apart; Roam
     * never does so, and someone allowed to do it could as well replace the bytes. (An empty block list
     * committed with a {@code Content-MD5} of the client's choice holds no bytes: a size of zero is then the
     * truth whatever that MD5 is.)
     *
     * @param size the blob's length
     * @param contentMd5 the blob's {@code Content-MD5}, null when it has none
     * @param committedBlocks the blob's committed blocks in order, of the same version as the other two
     */
    static Optional<Checksum> stored(long size, byte[] contentMd5, List<Block> committedBlocks, int blockSize) {
        requireNonNull(committedBlocks, "committedBlocks is null");
        if (BlockBlobOutputStream.isSentWhole(size, blockSize)) {
            return committedBlocks.isEmpty() && contentMd5 != null && contentMd5.length == MD5_LENGTH
                    ? AzureFileSystem.checksum(contentMd5)
                    : Optional.empty();
        }
        MessageDigest combined = ChecksumCalculator.messageDigest("MD5");
        long blockBytes = 0;
        for (int index = 0; index < committedBlocks.size(); index++) {
            Block block = committedBlocks.get(index);
            Optional<BlockIds.ContentId> id = BlockIds.parseContent(block.getName());
            boolean last = index == committedBlocks.size() - 1;
            boolean sizedAsWritten = last ? block.getSizeLong() > 0 && block.getSizeLong() <= blockSize : block.getSizeLong() == blockSize;
            if (id.isEmpty() || id.get().index() != index || !sizedAsWritten) {
                return Optional.empty();
            }
            combined.update(HexFormat.of().parseHex(id.get().md5()));
            blockBytes += block.getSizeLong();
        }
        if (blockBytes != size) {
            return Optional.empty();
        }
        return Optional.of(ofBlockList(combined.digest(), committedBlocks.size()));
    }

    /** The checksum of a block list, from the MD5 of its blocks' MD5s in order. */
    static Checksum ofBlockList(byte[] md5OfBlockMd5s, int blocks) {
        return new Checksum(BLOCK_MD5, PartwiseChecksumCalculator.value(md5OfBlockMd5s, blocks));
    }
}
