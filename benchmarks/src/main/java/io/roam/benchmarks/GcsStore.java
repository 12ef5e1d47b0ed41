package io.roam.benchmarks;

import static java.util.Objects.requireNonNull;

import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A bucket of a GCS server, through the Google Cloud Storage client. A file of up to one chunk is written
 * in one request (a multipart upload, not gzipped), a larger one as one resumable upload in chunks, one
 * chunk after another: the JSON API has no parallel upload of one object short of compose, which the
 * emulator lacks. Chunks are 16 MiB, the size rclone 1.60 uploads in and cannot be told to change.
 */
final class GcsStore implements WritableStore {

    static final int CHUNK_SIZE = 16 * 1024 * 1024;

    private final String rcloneRemote;
    private final Storage storage;
    private final String bucket;

    /** @param storage closed by the caller */
    GcsStore(String rcloneRemote, Storage storage, String bucket) {
        this.rcloneRemote = requireNonNull(rcloneRemote, "rcloneRemote is null");
        this.storage = requireNonNull(storage, "storage is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
    }

    @Override
    public String name() {
        return "GCS";
    }

    @Override
    public String roamLocation(String directory) {
        return "gs://" + bucket + "/" + directory;
    }

    @Override
    public String rcloneLocation(String directory) {
        return rcloneRemote + ":" + bucket + "/" + directory;
    }

    @Override
    public void write(String file, long size, GeneratedContent content, int fileIndex, int partConcurrency) throws IOException {
        if (size <= CHUNK_SIZE) {
            storage.create(BlobInfo.newBuilder(bucket, file).build(), content.bytes(fileIndex, 0, (int) size), BlobTargetOption.disableGzipContent());
            return;
        }
        try (WriteChannel writer = storage.writer(BlobInfo.newBuilder(bucket, file).build())) {
            writer.setChunkSize(CHUNK_SIZE);
            byte[] buffer = new byte[(int) Math.min(CHUNK_SIZE, size)];
            long written = 0;
            while (written < size) {
                int count = (int) Math.min(buffer.length, size - written);
                content.fill(fileIndex, written, buffer, count);
                ByteBuffer wrapped = ByteBuffer.wrap(buffer, 0, count);
                while (wrapped.hasRemaining()) {
                    writer.write(wrapped);
                }
                written += count;
            }
        }
    }

    @Override
    public DirectorySummary summarize(String directory) {
        long count = 0;
        long bytes = 0;
        for (Blob blob : storage.list(bucket, BlobListOption.prefix(directory)).iterateAll()) {
            count++;
            bytes += blob.getSize();
        }
        return new DirectorySummary(count, bytes);
    }

    @Override
    public void delete(String directory) {
        for (Blob blob : storage.list(bucket, BlobListOption.prefix(directory)).iterateAll()) {
            storage.delete(blob.getBlobId());
        }
    }
}
