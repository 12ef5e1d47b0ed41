package io.roam.storage.sftp;

import static java.util.Objects.requireNonNull;

import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;

import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * Classifies the failures of the SSH client and the SFTP server, once, for every operation of this
 * backend. Messages name the location and the problem as the server or client reported it; they
 * never carry credentials (the client's messages hold none).
 */
final class SftpErrors {

    private SftpErrors() {
    }

    /** The classified failure, keeping a {@link StorageException} found anywhere in the cause chain. */
    static StorageException classify(Throwable failure) {
        requireNonNull(failure, "failure is null");
        StorageException classified = findClassified(failure);
        return classified != null ? classified : new StorageException(kindOf(failure), describe(failure), failure);
    }

    /** Like {@link #classify(Throwable)}, with the operation and location in the message. */
    static StorageException failure(String operation, Location location, Throwable failure) {
        requireNonNull(operation, "operation is null");
        requireNonNull(location, "location is null");
        requireNonNull(failure, "failure is null");
        StorageException classified = findClassified(failure);
        return classified != null
                ? classified
                : new StorageException(kindOf(failure), "cannot %s '%s': %s".formatted(operation, location, describe(failure)), failure);
    }

    /** The failure as an {@link IOException}, for stream methods: its cause is the classified failure, so {@code StorageErrors.classify} finds the kind. */
    static IOException streamFailure(String operation, Location location, Throwable failure) {
        StorageException classified = failure(operation, location, failure);
        return new IOException(classified.getMessage(), classified);
    }

    static StorageErrorKind kindOf(Throwable failure) {
        Throwable cause = failure instanceof UncheckedIOException unchecked ? unchecked.getCause() : failure;
        return switch (cause) {
            case StorageException storageException -> storageException.kind();
            case SftpException sftpException -> kindOfStatus(sftpException.getStatus());
            case SshException sshException -> kindOfDisconnect(sshException);
            // A key file that cannot be decrypted or parsed: the credentials are unusable.
            case GeneralSecurityException ignored -> StorageErrorKind.ACCESS_DENIED;
            // Connection refused, reset or timed out, an unknown host while DNS recovers, an interrupted wait.
            case IOException ignored -> StorageErrorKind.TRANSIENT;
            default -> StorageErrorKind.FATAL;
        };
    }

    static StorageErrorKind kindOfStatus(int status) {
        return switch (status) {
            case SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_NO_SUCH_PATH, SftpConstants.SSH_FX_NOT_A_DIRECTORY -> StorageErrorKind.NOT_FOUND;
            case SftpConstants.SSH_FX_PERMISSION_DENIED, SftpConstants.SSH_FX_WRITE_PROTECT, SftpConstants.SSH_FX_CANNOT_DELETE -> StorageErrorKind.ACCESS_DENIED;
            case SftpConstants.SSH_FX_FILE_ALREADY_EXISTS -> StorageErrorKind.ALREADY_EXISTS;
            case SftpConstants.SSH_FX_INVALID_FILENAME -> StorageErrorKind.INVALID_LOCATION;
            // SSH_FX_FAILURE is all OpenSSH (SFTP version 3) can say about a full disk or an I/O error: it may pass.
            case SftpConstants.SSH_FX_FAILURE, SftpConstants.SSH_FX_NO_CONNECTION, SftpConstants.SSH_FX_CONNECTION_LOST,
                 SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM, SftpConstants.SSH_FX_QUOTA_EXCEEDED, SftpConstants.SSH_FX_LOCK_CONFLICT,
                 SftpConstants.SSH_FX_BYTE_RANGE_LOCK_CONFLICT, SftpConstants.SSH_FX_BYTE_RANGE_LOCK_REFUSED, SftpConstants.SSH_FX_NO_MEDIA -> StorageErrorKind.TRANSIENT;
            default -> StorageErrorKind.FATAL;
        };
    }

    private static StorageErrorKind kindOfDisconnect(SshException exception) {
        return switch (exception.getDisconnectCode()) {
            case SshConstants.SSH2_DISCONNECT_HOST_KEY_NOT_VERIFIABLE, SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE,
                 SshConstants.SSH2_DISCONNECT_ILLEGAL_USER_NAME -> StorageErrorKind.ACCESS_DENIED;
            case SshConstants.SSH2_DISCONNECT_PROTOCOL_VERSION_NOT_SUPPORTED, SshConstants.SSH2_DISCONNECT_KEY_EXCHANGE_FAILED -> StorageErrorKind.FATAL;
            // No code (a closed channel, a timeout) or a dropped connection: a new session may succeed.
            default -> StorageErrorKind.TRANSIENT;
        };
    }

    private static StorageException findClassified(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof StorageException storageException) {
                return storageException;
            }
        }
        return null;
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null ? failure.getClass().getSimpleName() : failure.getClass().getSimpleName() + ": " + message;
    }
}
