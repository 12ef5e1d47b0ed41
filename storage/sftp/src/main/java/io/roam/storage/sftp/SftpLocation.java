package io.roam.storage.sftp;

import static java.util.Objects.requireNonNull;

import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

import java.util.Optional;

/**
 * A location this backend serves, taken apart: {@code sftp://user@host:port/absolute/path}. The user
 * comes from the location or, when it names none, from the profile's {@code username}; the port
 * defaults to 22; the path is absolute on the server.
 *
 * @param location the location as given
 * @param endpoint the account and server it lives on
 * @param path the absolute path on the server, starting with {@code /}; a directory's ends with {@code /}
 */
record SftpLocation(Location location, SftpEndpoint endpoint, String path) {

    static final String SCHEME = "sftp";
    static final int DEFAULT_PORT = 22;

    SftpLocation {
        requireNonNull(location, "location is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(path, "path is null");
    }

    /**
     * @throws StorageException of kind {@link StorageErrorKind#INVALID_LOCATION} when the location is not
     *     an SFTP location or names no user while the profile has no default one
     */
    static SftpLocation of(Location location, Optional<String> defaultUsername) {
        requireNonNull(location, "location is null");
        requireNonNull(defaultUsername, "defaultUsername is null");
        if (!location.scheme().equals(SCHEME)) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION,
                    "'%s' is not an SFTP location: expected 'sftp://[user@]host[:port]/path'".formatted(location));
        }
        String username = location.userInfo().or(() -> defaultUsername).orElseThrow(() -> new StorageException(
                StorageErrorKind.INVALID_LOCATION,
                "'%s' names no user: write 'sftp://user@host/path' or set the storage profile's 'username' property".formatted(location)));
        // Location guarantees a host for every scheme but file; IPv6 literals keep their brackets there.
        String host = location.host().orElseThrow();
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        return new SftpLocation(location, new SftpEndpoint(username, host, location.port().orElse(DEFAULT_PORT)), "/" + location.path());
    }

    /** The absolute path of the directory holding this file, without a trailing slash ({@code /} for the root). */
    String parentPath() {
        int slash = path.lastIndexOf('/');
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    /** The account on one server: what a pooled SSH session is authenticated as. */
    record SftpEndpoint(String username, String host, int port) {

        SftpEndpoint {
            requireNonNull(username, "username is null");
            requireNonNull(host, "host is null");
        }

        @Override
        public String toString() {
            return "%s@%s:%d".formatted(username, host.contains(":") ? "[" + host + "]" : host, port);
        }
    }
}
