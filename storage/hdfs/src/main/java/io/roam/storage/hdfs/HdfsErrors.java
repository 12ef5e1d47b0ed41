package io.roam.storage.hdfs;

import static java.util.Map.entry;

import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

import org.apache.hadoop.ipc.RemoteException;

/**
 * Classifies every failure of the Hadoop client and of HDFS into a {@link StorageErrorKind}, in one
 * place. The name node's errors reach the client as {@link RemoteException}s that carry the server-side
 * class name; the client unwraps the common ones into local exceptions of that class. Both are matched
 * by class name here: a local exception by its class and its superclasses, a remote one by the name it
 * carries. The first exception of the cause chain with a known class decides; otherwise any I/O failure
 * is transient (a connection, a data node, a pipeline) and anything else fatal.
 *
 * <p>Messages name the operation, the location and Hadoop's message. Simple authentication has no
 * secrets, and Hadoop's messages carry user and path names only.
 */
final class HdfsErrors {

    private static final Map<String, StorageErrorKind> KINDS = Map.ofEntries(
            entry("java.io.FileNotFoundException", StorageErrorKind.NOT_FOUND),
            entry("org.apache.hadoop.fs.PathNotFoundException", StorageErrorKind.NOT_FOUND),
            // A file where a directory is expected on the way: nothing can exist beneath it.
            entry("org.apache.hadoop.fs.ParentNotDirectoryException", StorageErrorKind.NOT_FOUND),

            entry("org.apache.hadoop.security.AccessControlException", StorageErrorKind.ACCESS_DENIED),
            entry("org.apache.hadoop.hdfs.protocol.SnapshotAccessControlException", StorageErrorKind.ACCESS_DENIED),
            entry("org.apache.hadoop.security.authorize.AuthorizationException", StorageErrorKind.ACCESS_DENIED),
            entry("org.apache.hadoop.fs.PathAccessDeniedException", StorageErrorKind.ACCESS_DENIED),
            entry("org.apache.hadoop.security.token.SecretManager$InvalidToken", StorageErrorKind.ACCESS_DENIED),
            entry("javax.security.sasl.SaslException", StorageErrorKind.ACCESS_DENIED),

            // The name node is starting, failing over, or asks the client to come back.
            entry("org.apache.hadoop.hdfs.server.namenode.SafeModeException", StorageErrorKind.TRANSIENT),
            entry("org.apache.hadoop.ipc.RetriableException", StorageErrorKind.TRANSIENT),
            entry("org.apache.hadoop.ipc.StandbyException", StorageErrorKind.TRANSIENT),
            entry("org.apache.hadoop.ipc.ObserverRetryOnActiveException", StorageErrorKind.TRANSIENT),
            entry("org.apache.hadoop.hdfs.server.namenode.NotReplicatedYetException", StorageErrorKind.TRANSIENT),
            // The writer lost its lease (a long pause, a name node failover): writing the file again succeeds.
            entry("org.apache.hadoop.hdfs.server.namenode.LeaseExpiredException", StorageErrorKind.TRANSIENT),
            entry("java.net.ConnectException", StorageErrorKind.TRANSIENT),
            entry("java.net.SocketTimeoutException", StorageErrorKind.TRANSIENT),
            entry("java.net.UnknownHostException", StorageErrorKind.TRANSIENT),

            entry("org.apache.hadoop.fs.InvalidPathException", StorageErrorKind.INVALID_LOCATION),
            entry("org.apache.hadoop.hdfs.protocol.FSLimitException$PathComponentTooLongException", StorageErrorKind.INVALID_LOCATION),

            // Space or name quotas, directory size limits: an operator must act, retrying will not help.
            entry("org.apache.hadoop.hdfs.protocol.FSLimitException$MaxDirectoryItemsExceededException", StorageErrorKind.FATAL),
            entry("org.apache.hadoop.hdfs.protocol.QuotaExceededException", StorageErrorKind.FATAL),
            entry("org.apache.hadoop.hdfs.protocol.DSQuotaExceededException", StorageErrorKind.FATAL),
            entry("org.apache.hadoop.hdfs.protocol.NSQuotaExceededException", StorageErrorKind.FATAL),
            entry("org.apache.hadoop.hdfs.protocol.QuotaByStorageTypeExceededException", StorageErrorKind.FATAL),
            // Roam makes no conditional writes: something is in the way of a directory or file it creates.
            entry("org.apache.hadoop.fs.FileAlreadyExistsException", StorageErrorKind.FATAL),
            entry("org.apache.hadoop.fs.PathIsNotEmptyDirectoryException", StorageErrorKind.FATAL),
            entry("org.apache.hadoop.hdfs.protocol.UnresolvedPathException", StorageErrorKind.FATAL));

    private static final String RETRIABLE = "org.apache.hadoop.ipc.RetriableException";
    private static final String ACCESS_CONTROL = "org.apache.hadoop.security.AccessControlException";
    /** How the name node words a path that goes through a file as if it were a directory. */
    private static final String NOT_A_DIRECTORY = "(is not a directory)";

    private HdfsErrors() {
    }

    /** A classified exception saying which operation on which location failed, and why. */
    static StorageException classify(String operation, Location location, Throwable failure) {
        if (failure instanceof StorageException classified) {
            return classified;
        }
        return new StorageException(kindOf(failure), "cannot %s '%s': %s".formatted(operation, location, describe(failure)), failure);
    }

    /**
     * The failure of a stream, as streams report failures: an {@link IOException} whose cause is the
     * classified {@link StorageException}, which {@link io.roam.storage.StorageErrors#classify} finds.
     */
    static IOException streamFailure(String operation, Location location, Throwable failure) {
        StorageException classified = classify(operation, location, failure);
        return new IOException(classified.getMessage(), classified);
    }

    static StorageErrorKind kindOf(Throwable failure) {
        boolean inputOutput = false;
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof StorageException classified) {
                return classified.kind();
            }
            inputOutput |= current instanceof IOException;
            if (current instanceof RemoteException remote) {
                StorageErrorKind kind = kindOf(remote.getClassName(), remote.getMessage());
                if (kind != null) {
                    return kind;
                }
                // The server refused the request itself (IllegalArgumentException, UnsupportedOperationException...).
                if (remote.getClassName().startsWith("java.lang.")) {
                    return StorageErrorKind.FATAL;
                }
                continue;
            }
            for (Class<?> type = current.getClass(); type != null; type = type.getSuperclass()) {
                StorageErrorKind kind = kindOf(type.getName(), current.getMessage());
                if (kind != null) {
                    return kind;
                }
            }
        }
        return inputOutput ? StorageErrorKind.TRANSIENT : StorageErrorKind.FATAL;
    }

    private static StorageErrorKind kindOf(String className, String message) {
        // A name node whose call queue is full answers "Server too busy": that is back-pressure.
        if (className.equals(RETRIABLE) && message != null && message.toLowerCase(Locale.ROOT).contains("too busy")) {
            return StorageErrorKind.THROTTLED;
        }
        // With permissions enabled, the name node refuses to resolve a path beneath a file with an
        // AccessControlException: nothing can exist there, like a ParentNotDirectoryException.
        if (className.equals(ACCESS_CONTROL) && message != null && message.contains(NOT_A_DIRECTORY)) {
            return StorageErrorKind.NOT_FOUND;
        }
        return KINDS.get(className);
    }

    private static String describe(Throwable failure) {
        if (failure instanceof RemoteException remote) {
            String className = remote.getClassName();
            return className.substring(className.lastIndexOf('.') + 1) + ": " + firstLine(remote.getMessage());
        }
        String message = failure.getMessage();
        return message == null ? failure.getClass().getSimpleName() : failure.getClass().getSimpleName() + ": " + firstLine(message);
    }

    /** Remote messages may carry a server-side stack trace after the first line. */
    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
