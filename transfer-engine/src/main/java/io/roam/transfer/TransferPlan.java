package io.roam.transfer;

import static java.util.Objects.requireNonNull;

import io.roam.storage.Location;
import java.util.List;

/** Every file a transfer copies, from where to where, sorted by relative path. */
public record TransferPlan(Location source, Location target, List<FileCopy> files) {

    public TransferPlan {
        requireNonNull(source, "source is null");
        requireNonNull(target, "target is null");
        files = List.copyOf(files);
    }

    public long totalBytes() {
        return files.stream().mapToLong(FileCopy::size).sum();
    }
}
