package io.roam.benchmarks;

import static java.util.Objects.requireNonNull;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A container of an Azure Blob server, through the Azure SDK. A file larger than one block is staged
 * block by block, blocks in parallel, and committed.
 */
final class AzureStore implements WritableStore {

    static final long BLOCK_SIZE = 8 * Units.MEBIBYTE;

    private final String rcloneRemote;
    private final BlobContainerClient container;

    AzureStore(String rcloneRemote, BlobContainerClient container) {
        this.rcloneRemote = requireNonNull(rcloneRemote, "rcloneRemote is null");
        this.container = requireNonNull(container, "container is null");
    }

    @Override
    public String name() {
        return "Azure";
    }

    @Override
    public String roamLocation(String directory) {
        return "az://" + container.getBlobContainerName() + "/" + directory;
    }

    @Override
    public String rcloneLocation(String directory) {
        return rcloneRemote + ":" + container.getBlobContainerName() + "/" + directory;
    }

    @Override
    public void write(String file, long size, GeneratedContent content, int fileIndex, int partConcurrency) throws IOException {
        BlockBlobClient blob = container.getBlobClient(file).getBlockBlobClient();
        if (size <= BLOCK_SIZE) {
            blob.upload(BinaryData.fromBytes(content.bytes(fileIndex, 0, (int) size)), true);
            return;
        }
        int blockCount = (int) Math.ceilDiv(size, BLOCK_SIZE);
        List<String> blockIds = new ArrayList<>(blockCount);
        try (ExecutorService executor = Executors.newFixedThreadPool(Math.max(1, partConcurrency))) {
            List<Future<?>> blocks = new ArrayList<>(blockCount);
            for (int index = 0; index < blockCount; index++) {
                String blockId = Base64.getEncoder().encodeToString(ByteBuffer.allocate(8).putLong(index).array());
                blockIds.add(blockId);
                long offset = index * BLOCK_SIZE;
                int length = (int) Math.min(BLOCK_SIZE, size - offset);
                blocks.add(executor.submit(() -> blob.stageBlock(blockId, BinaryData.fromBytes(content.bytes(fileIndex, offset, length)))));
            }
            for (Future<?> block : blocks) {
                block.get();
            }
        }
        catch (ExecutionException failure) {
            throw new IOException("staging a block of " + file + " failed", failure.getCause());
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", interrupted);
        }
        blob.commitBlockList(blockIds, true);
    }

    @Override
    public DirectorySummary summarize(String directory) {
        long count = 0;
        long bytes = 0;
        for (BlobItem blob : container.listBlobs(new ListBlobsOptions().setPrefix(directory), null)) {
            count++;
            bytes += blob.getProperties().getContentLength();
        }
        return new DirectorySummary(count, bytes);
    }

    @Override
    public void delete(String directory) {
        for (BlobItem blob : container.listBlobs(new ListBlobsOptions().setPrefix(directory), null)) {
            container.getBlobClient(blob.getName()).delete();
        }
    }
}
