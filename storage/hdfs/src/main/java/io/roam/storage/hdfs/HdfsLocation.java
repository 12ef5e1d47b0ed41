package io.roam.storage.hdfs;

import static java.util.Objects.requireNonNull;

import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

import java.net.URI;
import java.net.URISyntaxException;

import org.apache.hadoop.fs.Path;

/**
 * A location in the form HDFS accepts, {@code hdfs://namenode[:port]/path}, with its name node
 * authority and its HDFS path. The authority is a name node's host and port, or an HA name service
 * (a logical name without a port, defined in the profile's Hadoop configuration).
 *
 * <p>HDFS refuses {@code :} in file names, and {@code /.reserved} is its namespace of raw and inode
 * paths, never a place for data: both are invalid locations.
 *
 * @param location the location as given
 * @param authority the name node or name service, with the port when one is written: the key of the
 *     Hadoop file system that serves it
 * @param path the absolute HDFS path, without a trailing slash ({@code /} for the root)
 */
record HdfsLocation(Location location, String authority, Path path) {

    static final String SCHEME = "hdfs";

    HdfsLocation {
        requireNonNull(location, "location is null");
        requireNonNull(authority, "authority is null");
        requireNonNull(path, "path is null");
    }

    /**
     * @throws StorageException of kind {@link StorageErrorKind#INVALID_LOCATION} when the location is
     *     not an HDFS location HDFS can store
     */
    static HdfsLocation of(Location location) {
        requireNonNull(location, "location is null");
        if (!location.scheme().equals(SCHEME)) {
            throw invalid(location, "not an HDFS location: expected 'hdfs://namenode:port/path'");
        }
        String host = location.host().orElseThrow(() -> invalid(location, "an HDFS location needs a name node: 'hdfs://namenode:port/path'"));
        String authority = location.port().isPresent() ? host + ":" + location.port().getAsInt() : host;
        String path = location.path();
        if (path.indexOf(':') >= 0) {
            throw invalid(location, "HDFS does not allow ':' in file or directory names");
        }
        if (path.equals(".reserved") || path.startsWith(".reserved/")) {
            throw invalid(location, "'/.reserved' is HDFS's internal namespace, not a place for files");
        }
        String absolutePath = "/" + (path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
        try {
            // The multi-argument URI constructor quotes what a URI cannot hold (spaces, '%') so that
            // Hadoop's Path takes every name literally; Path(String) would read ':' as a scheme.
            return new HdfsLocation(location, authority, new Path(new URI(SCHEME, authority, absolutePath, null, null)));
        }
        catch (URISyntaxException | IllegalArgumentException exception) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION, "'%s' is not a valid HDFS location: %s".formatted(location, exception.getMessage()), exception);
        }
    }

    /** The URI of the file system that serves this location: {@code hdfs://authority}. */
    URI fileSystemUri() {
        return URI.create(SCHEME + "://" + authority);
    }

    private static StorageException invalid(Location location, String problem) {
        return new StorageException(StorageErrorKind.INVALID_LOCATION, "'%s' is not a valid HDFS location: %s".formatted(location, problem));
    }
}
