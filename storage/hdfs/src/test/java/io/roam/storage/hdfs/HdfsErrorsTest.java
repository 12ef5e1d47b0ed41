package io.roam.storage.hdfs;

import static org.assertj.core.api.Assertions.assertThat;

import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageErrors;
import io.roam.storage.StorageException;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.stream.Stream;

import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.InvalidPathException;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.hdfs.protocol.DSQuotaExceededException;
import org.apache.hadoop.hdfs.protocol.FSLimitException.PathComponentTooLongException;
import org.apache.hadoop.hdfs.server.namenode.SafeModeException;
import org.apache.hadoop.ipc.RemoteException;
import org.apache.hadoop.ipc.RetriableException;
import org.apache.hadoop.ipc.StandbyException;
import org.apache.hadoop.net.ConnectTimeoutException;
import org.apache.hadoop.security.AccessControlException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HdfsErrorsTest {

    private static final Location LOCATION = Location.parse("hdfs://namenode:8020/data/file.bin");

    static Stream<Arguments> localExceptions() {
        return Stream.of(
                Arguments.of(new FileNotFoundException("File does not exist: /data/file.bin"), StorageErrorKind.NOT_FOUND),
                Arguments.of(new ParentNotDirectoryException("/data is not a directory"), StorageErrorKind.NOT_FOUND),
                Arguments.of(new AccessControlException("Permission denied: user=bob, access=READ"), StorageErrorKind.ACCESS_DENIED),
                Arguments.of(new SafeModeException("Name node is in safe mode."), StorageErrorKind.TRANSIENT),
                Arguments.of(new RetriableException("Name node is starting"), StorageErrorKind.TRANSIENT),
                Arguments.of(new StandbyException("Operation category READ is not supported in state standby"), StorageErrorKind.TRANSIENT),
                Arguments.of(new ConnectException("Connection refused"), StorageErrorKind.TRANSIENT),
                Arguments.of(new ConnectTimeoutException("connect timed out"), StorageErrorKind.TRANSIENT),
                Arguments.of(new SocketTimeoutException("Read timed out"), StorageErrorKind.TRANSIENT),
                Arguments.of(new EOFException("End of File Exception between local host and destination host"), StorageErrorKind.TRANSIENT),
                Arguments.of(new IOException("All datanodes are bad. Aborting..."), StorageErrorKind.TRANSIENT),
                Arguments.of(new InvalidPathException("/data/a:b"), StorageErrorKind.INVALID_LOCATION),
                Arguments.of(new PathComponentTooLongException(255, 300, "/data", "x".repeat(300)), StorageErrorKind.INVALID_LOCATION),
                Arguments.of(new DSQuotaExceededException(100, 200), StorageErrorKind.FATAL),
                Arguments.of(new FileAlreadyExistsException("/data/file.bin"), StorageErrorKind.FATAL),
                Arguments.of(new IllegalArgumentException("Wrong FS"), StorageErrorKind.FATAL));
    }

    @ParameterizedTest
    @MethodSource("localExceptions")
    void classifiesTheClientsExceptionsByTheirClass(Throwable failure, StorageErrorKind kind) {
        assertThat(HdfsErrors.classify("read", LOCATION, failure).kind()).isEqualTo(kind);
    }

    static Stream<Arguments> remoteExceptions() {
        return Stream.of(
                Arguments.of("java.io.FileNotFoundException", StorageErrorKind.NOT_FOUND),
                Arguments.of("org.apache.hadoop.security.AccessControlException", StorageErrorKind.ACCESS_DENIED),
                Arguments.of("org.apache.hadoop.fs.ParentNotDirectoryException", StorageErrorKind.NOT_FOUND),
                Arguments.of("org.apache.hadoop.hdfs.protocol.SnapshotAccessControlException", StorageErrorKind.ACCESS_DENIED),
                Arguments.of("org.apache.hadoop.security.token.SecretManager$InvalidToken", StorageErrorKind.ACCESS_DENIED),
                Arguments.of("org.apache.hadoop.hdfs.server.namenode.SafeModeException", StorageErrorKind.TRANSIENT),
                Arguments.of("org.apache.hadoop.ipc.RetriableException", StorageErrorKind.TRANSIENT),
                Arguments.of("org.apache.hadoop.ipc.StandbyException", StorageErrorKind.TRANSIENT),
                Arguments.of("org.apache.hadoop.hdfs.server.namenode.LeaseExpiredException", StorageErrorKind.TRANSIENT),
                Arguments.of("org.apache.hadoop.hdfs.protocol.NSQuotaExceededException", StorageErrorKind.FATAL),
                Arguments.of("org.apache.hadoop.hdfs.protocol.FSLimitException$PathComponentTooLongException", StorageErrorKind.INVALID_LOCATION),
                Arguments.of("java.lang.IllegalArgumentException", StorageErrorKind.FATAL),
                Arguments.of("java.lang.UnsupportedOperationException", StorageErrorKind.FATAL),
                // A server-side I/O failure the client does not know, such as too few data nodes to write to.
                Arguments.of("java.io.IOException", StorageErrorKind.TRANSIENT));
    }

    @ParameterizedTest
    @MethodSource("remoteExceptions")
    void classifiesTheNameNodesExceptionsByTheClassNameTheyCarry(String className, StorageErrorKind kind) {
        RemoteException failure = new RemoteException(className, "message from the name node");

        assertThat(HdfsErrors.classify("read", LOCATION, failure).kind()).isEqualTo(kind);
    }

    @Test
    void aNameNodeTooBusyToQueueTheCallThrottles() {
        RemoteException failure = new RemoteException("org.apache.hadoop.ipc.RetriableException", "Server too busy");

        assertThat(HdfsErrors.classify("write", LOCATION, failure).kind()).isEqualTo(StorageErrorKind.THROTTLED);
    }

    /** How a name node enforcing permissions answers a path beneath a file. */
    @Test
    void aPathBeneathAFileIsNotFoundThoughTheNameNodeCallsItAccessControl() {
        RemoteException failure = new RemoteException("org.apache.hadoop.security.AccessControlException", "/data/file.bin (is not a directory)");

        assertThat(HdfsErrors.kindOf(failure)).isEqualTo(StorageErrorKind.NOT_FOUND);
        assertThat(HdfsErrors.kindOf(new AccessControlException("/data/file.bin (is not a directory)"))).isEqualTo(StorageErrorKind.NOT_FOUND);
    }

    @Test
    void aWrappedCauseDecides() {
        IOException failure = new IOException("Failed on local exception", new ConnectException("Connection refused"));
        IllegalArgumentException unresolvableNameNode = new IllegalArgumentException(new UnknownHostException("namenode"));

        assertThat(HdfsErrors.kindOf(failure)).isEqualTo(StorageErrorKind.TRANSIENT);
        assertThat(HdfsErrors.kindOf(unresolvableNameNode)).isEqualTo(StorageErrorKind.TRANSIENT);
        assertThat(HdfsErrors.kindOf(new IllegalStateException("bug"))).isEqualTo(StorageErrorKind.FATAL);
    }

    @Test
    void messagesNameTheOperationTheLocationAndOnlyTheFirstLineOfARemoteMessage() {
        RemoteException failure = new RemoteException("org.apache.hadoop.security.AccessControlException",
                "Permission denied: user=bob, access=READ, inode=\"/data/file.bin\"\n\tat org.apache.hadoop.hdfs.server.namenode.FSPermissionChecker.check");

        StorageException exception = HdfsErrors.classify("read", LOCATION, failure);

        assertThat(exception.getMessage())
                .isEqualTo("cannot read 'hdfs://namenode:8020/data/file.bin': AccessControlException: Permission denied: user=bob, access=READ, inode=\"/data/file.bin\"");
        assertThat(exception.getCause()).isSameAs(failure);
    }

    @Test
    void streamFailuresCarryTheClassificationForTheSharedClassifier() {
        IOException failure = HdfsErrors.streamFailure("write", LOCATION, new DSQuotaExceededException(100, 200));

        assertThat(StorageErrors.classify(failure).kind()).isEqualTo(StorageErrorKind.FATAL);
        assertThat(failure.getMessage()).startsWith("cannot write 'hdfs://namenode:8020/data/file.bin': DSQuotaExceededException");
    }
}
