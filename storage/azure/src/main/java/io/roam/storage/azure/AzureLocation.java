package io.roam.storage.azure;

import static java.util.Objects.requireNonNull;

import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A location in an Azure storage account, validated: which container, which blob name (or name prefix,
 * for a directory).
 *
 * <p>Forms served:
 * <ul>
 *   <li>{@code az://container/path} and {@code abfs[s]://container/path}: the container is the host, the
 *       account is the profile's;
 *   <li>{@code abfs[s]://container@account.dfs.core.windows.net/path} (the Hadoop ABFS form, also with
 *       {@code .blob.} or a sovereign cloud's suffix): the container is the user information, the account
 *       the host's first label, which must be the profile's account.
 * </ul>
 *
 * @param location the location as given
 * @param container the container, a valid container name
 * @param blobName the blob name (or prefix) inside the container: the location's path
 */
record AzureLocation(Location location, String container, String blobName) {

    static final Set<String> SCHEMES = Set.of("abfs", "abfss", "az");

    /** Azure's rule: 3 to 63 characters, lowercase letters, digits and single hyphens, no hyphen first or last. */
    private static final Pattern CONTAINER = Pattern.compile("[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}");
    private static final Pattern ACCOUNT_HOST = Pattern.compile("([a-z0-9]{3,24})\\.(?:dfs|blob)\\.[a-z0-9.-]+");
    private static final int MAXIMUM_BLOB_NAME_LENGTH = 1024;

    AzureLocation {
        requireNonNull(location, "location is null");
        requireNonNull(container, "container is null");
        requireNonNull(blobName, "blobName is null");
    }

    /**
     * Validates a location of an account.
     *
     * @throws StorageException of kind {@link StorageErrorKind#INVALID_LOCATION} when the location is not
     *     an Azure location of that account or names an invalid container or blob
     */
    static AzureLocation of(Location location, String account) {
        requireNonNull(location, "location is null");
        requireNonNull(account, "account is null");
        if (!SCHEMES.contains(location.scheme())) {
            throw invalid(location, "the Azure backend serves only abfs://, abfss:// and az:// locations");
        }
        String host = location.host().orElseThrow(() -> invalid(location, "it names no container"));
        String container = host;
        if (location.userInfo().isPresent()) {
            container = location.userInfo().get();
            Matcher accountHost = ACCOUNT_HOST.matcher(host);
            if (!accountHost.matches()) {
                throw invalid(location, "'%s' is not an account host such as '%s.dfs.core.windows.net'".formatted(host, account));
            }
            if (!accountHost.group(1).equals(account)) {
                throw invalid(location, "it is in account '%s', but its storage profile serves account '%s'".formatted(accountHost.group(1), account));
            }
        }
        if (!isValidContainerName(container)) {
            throw invalid(location, ("'%s' is not a valid container name: 3 to 63 lowercase letters, digits and hyphens, "
                    + "starting and ending with a letter or digit, without consecutive hyphens").formatted(container));
        }
        if (location.path().length() > MAXIMUM_BLOB_NAME_LENGTH) {
            throw invalid(location, "a blob name has at most %d characters".formatted(MAXIMUM_BLOB_NAME_LENGTH));
        }
        return new AzureLocation(location, container, location.path());
    }

    static boolean isValidContainerName(String name) {
        return CONTAINER.matcher(name).matches();
    }

    private static StorageException invalid(Location location, String problem) {
        return new StorageException(StorageErrorKind.INVALID_LOCATION, "invalid Azure location '%s': %s".formatted(location, problem));
    }
}
