package io.roam.transfer;

import static java.util.Objects.requireNonNull;

import io.roam.storage.Location;

/**
 * One file of a plan.
 *
 * @param relativePath the file's path under the source root, or its name when the source is one file
 * @param size its size when the plan was made
 */
public record FileCopy(String relativePath, Location source, Location target, long size) {

    public FileCopy {
        requireNonNull(relativePath, "relativePath is null");
        requireNonNull(source, "source is null");
        requireNonNull(target, "target is null");
    }
}
