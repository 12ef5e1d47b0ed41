package io.roam.storage.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageErrors;
import io.roam.storage.StorageException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.util.stream.Stream;

import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SftpErrorsTest {

    private static final Location LOCATION = Location.parse("sftp://roam@nas:22/data/file.bin");

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new SftpException(SftpConstants.SSH_FX_NO_SUCH_FILE, "No such file"), StorageErrorKind.NOT_FOUND),
                Arguments.of(new SftpException(SftpConstants.SSH_FX_NO_SUCH_PATH, "No such path"), StorageErrorKind.NOT_FOUND),
                Arguments.of(new SftpException(SftpConstants.SSH_FX_NOT_A_DIRECTORY, "Not a directory"), StorageErrorKind.NOT_FOUND),
                Arguments.of(new SftpException(SftpConstants.SSH_FX_PERMISSION_DENIED, "Permission denied"), StorageErrorKind.ACCESS_DENIED),
                Arguments.of(new SftpException(SftpConstants.SSH_FX_WRITE_PROTECT, "Read-only file system"), StorageErrorKind.ACCESS_DENIED),
                Arguments.of(new SftpException(SftpConstants.SSH_FX_FILE_ALREADY_EXISTS, "File exists"), StorageErrorKind.ALREADY_EXISTS),
                Arguments.of(new SftpException(SftpConstants.SSH_FX_INVALID_FILENAME, "Invalid name"), StorageErrorKind.INVALID_LOCATION),
                Arguments.of(new SftpException(SftpConstants.SSH_FX_FAILURE, "Failure"), StorageErrorKind.TRANSIENT),
                Arguments.of(new SftpException(SftpConstants.SSH_FX_CONNECTION_LOST, "Connection lost"), StorageErrorKind.TRANSIENT),
                Arguments.of(new SftpException(SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM, "No space left"), StorageErrorKind.TRANSIENT),
                Arguments.of(new SftpException(SftpConstants.SSH_FX_QUOTA_EXCEEDED, "Quota exceeded"), StorageErrorKind.TRANSIENT),
                Arguments.of(new SftpException(SftpConstants.SSH_FX_OP_UNSUPPORTED, "Unsupported"), StorageErrorKind.FATAL),
                Arguments.of(new SftpException(SftpConstants.SSH_FX_FILE_IS_A_DIRECTORY, "Is a directory"), StorageErrorKind.FATAL),
                Arguments.of(new SshException(SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE, "No more authentication methods available"),
                        StorageErrorKind.ACCESS_DENIED),
                Arguments.of(new SshException(SshConstants.SSH2_DISCONNECT_HOST_KEY_NOT_VERIFIABLE, "Server key did not validate"), StorageErrorKind.ACCESS_DENIED),
                Arguments.of(new SshException(SshConstants.SSH2_DISCONNECT_KEY_EXCHANGE_FAILED, "Unable to negotiate key exchange"), StorageErrorKind.FATAL),
                Arguments.of(new SshException(SshConstants.SSH2_DISCONNECT_CONNECTION_LOST, "Connection lost"), StorageErrorKind.TRANSIENT),
                Arguments.of(new SshException("Channel is being closed"), StorageErrorKind.TRANSIENT),
                Arguments.of(new SshException("Timeout expired while waiting for id=101"), StorageErrorKind.TRANSIENT),
                Arguments.of(new ConnectException("Connection refused"), StorageErrorKind.TRANSIENT),
                Arguments.of(new SocketTimeoutException("connect timed out"), StorageErrorKind.TRANSIENT),
                Arguments.of(new UnknownHostException("nas"), StorageErrorKind.TRANSIENT),
                Arguments.of(new EOFException("Closing: Closed"), StorageErrorKind.TRANSIENT),
                Arguments.of(new InterruptedIOException("interrupted"), StorageErrorKind.TRANSIENT),
                Arguments.of(new GeneralSecurityException("bad passphrase"), StorageErrorKind.ACCESS_DENIED),
                Arguments.of(new IllegalStateException("bug"), StorageErrorKind.FATAL));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @MethodSource("failures")
    void classifiesClientAndServerFailures(Exception failure, StorageErrorKind expected) {
        StorageException exception = SftpErrors.failure("read", LOCATION, failure);

        assertThat(exception.kind()).isEqualTo(expected);
        assertThat(exception).hasMessageStartingWith("cannot read '%s': %s", LOCATION, failure.getClass().getSimpleName()).hasCause(failure);
        assertThat(SftpErrors.classify(failure).kind()).isEqualTo(expected);
    }

    @Test
    void keepsAFailureClassifiedAlready() {
        StorageException classified = new StorageException(StorageErrorKind.ACCESS_DENIED, "authentication failed");

        assertThat(SftpErrors.failure("read", LOCATION, new IOException("wrapped", classified))).isSameAs(classified);
        assertThat(SftpErrors.classify(classified)).isSameAs(classified);
    }

    @Test
    void streamFailuresCarryTheirKindForTheGenericClassifier() {
        IOException failure = SftpErrors.streamFailure("write", LOCATION, new SftpException(SftpConstants.SSH_FX_PERMISSION_DENIED, "Permission denied"));

        assertThat(failure).hasMessage("cannot write '%s': SftpException: Permission denied", LOCATION);
        assertThat(StorageErrors.classify(failure).kind()).isEqualTo(StorageErrorKind.ACCESS_DENIED);
    }
}
