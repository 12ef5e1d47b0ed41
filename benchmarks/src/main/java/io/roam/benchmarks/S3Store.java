package io.roam.benchmarks;

import static java.util.Objects.requireNonNull;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A bucket of an S3 server, through the AWS SDK's synchronous client. A file larger than one part is
 * written as a multipart upload with its parts uploaded in parallel, and read as parallel ranges by the
 * caller.
 */
final class S3Store implements ReadableStore, WritableStore {

    static final long PART_SIZE = 8 * Units.MEBIBYTE;

    private final String rcloneRemote;
    private final S3Client client;
    private final String bucket;

    /**
     * @param rcloneRemote the name of the rclone remote of the same server
     * @param client closed by the caller
     */
    S3Store(String rcloneRemote, S3Client client, String bucket) {
        this.rcloneRemote = requireNonNull(rcloneRemote, "rcloneRemote is null");
        this.client = requireNonNull(client, "client is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
    }

    @Override
    public String name() {
        return "S3";
    }

    @Override
    public String roamLocation(String directory) {
        return "s3://" + bucket + "/" + directory;
    }

    @Override
    public String rcloneLocation(String directory) {
        return rcloneRemote + ":" + bucket + "/" + directory;
    }

    @Override
    public void read(String file, long offset, long length, byte[] buffer) throws IOException {
        String range = "bytes=%d-%d".formatted(offset, offset + length - 1);
        try (InputStream input = client.getObject(request -> request.bucket(bucket).key(file).range(range))) {
            long remaining = length;
            while (remaining > 0) {
                int read = input.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (read < 0) {
                    throw new EOFException(file + " ended " + remaining + " bytes early");
                }
                remaining -= read;
            }
        }
    }

    @Override
    public void write(String file, long size, GeneratedContent content, int fileIndex, int partConcurrency) throws IOException {
        if (size <= PART_SIZE) {
            client.putObject(request -> request.bucket(bucket).key(file),
                    RequestBody.fromBytes(content.bytes(fileIndex, 0, (int) size)));
            return;
        }
        String uploadId = client.createMultipartUpload(request -> request.bucket(bucket).key(file)).uploadId();
        int partCount = (int) Math.ceilDiv(size, PART_SIZE);
        try (ExecutorService executor = Executors.newFixedThreadPool(Math.max(1, partConcurrency))) {
            List<Future<CompletedPart>> parts = new ArrayList<>(partCount);
            for (int partNumber = 1; partNumber <= partCount; partNumber++) {
                int number = partNumber;
                long offset = (number - 1) * PART_SIZE;
                int length = (int) Math.min(PART_SIZE, size - offset);
                parts.add(executor.submit(() -> {
                    String eTag = client.uploadPart(request -> request.bucket(bucket).key(file).uploadId(uploadId).partNumber(number),
                            RequestBody.fromBytes(content.bytes(fileIndex, offset, length))).eTag();
                    return CompletedPart.builder().partNumber(number).eTag(eTag).build();
                }));
            }
            List<CompletedPart> completed = new ArrayList<>(partCount);
            for (Future<CompletedPart> part : parts) {
                completed.add(part.get());
            }
            client.completeMultipartUpload(request -> request.bucket(bucket).key(file).uploadId(uploadId)
                    .multipartUpload(upload -> upload.parts(completed)));
        }
        catch (ExecutionException | InterruptedException failure) {
            client.abortMultipartUpload(request -> request.bucket(bucket).key(file).uploadId(uploadId));
            if (failure instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("multipart upload of " + file + " failed", failure);
        }
    }

    @Override
    public DirectorySummary summarize(String directory) {
        long count = 0;
        long bytes = 0;
        for (S3Object object : client.listObjectsV2Paginator(request -> request.bucket(bucket).prefix(directory)).contents()) {
            count++;
            bytes += object.size();
        }
        return new DirectorySummary(count, bytes);
    }

    @Override
    public void delete(String directory) {
        List<ObjectIdentifier> batch = new ArrayList<>();
        for (S3Object object : client.listObjectsV2Paginator(request -> request.bucket(bucket).prefix(directory)).contents()) {
            batch.add(ObjectIdentifier.builder().key(object.key()).build());
            if (batch.size() == 1000) {
                deleteBatch(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            deleteBatch(batch);
        }
    }

    private void deleteBatch(List<ObjectIdentifier> keys) {
        List<ObjectIdentifier> copy = List.copyOf(keys);
        client.deleteObjects(request -> request.bucket(bucket).delete(delete -> delete.objects(copy).quiet(true)));
    }
}
