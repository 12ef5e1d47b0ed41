package io.roam.storage.sftp;

import static java.util.Objects.requireNonNull;

import io.roam.storage.EmptyDirectoryRemoval;
import io.roam.storage.FileEntry;
import io.roam.storage.FileIterator;
import io.roam.storage.Location;
import io.roam.storage.RangeInputStream;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageOutputStream;
import io.roam.storage.StorageProfile;
import io.roam.storage.sftp.SftpConnectionPool.Lease;
import io.roam.storage.sftp.SftpFileIterator.DirectoryChild;
import io.roam.storage.sftp.SftpLocation.SftpEndpoint;
import io.roam.storage.sftp.SftpSettings.HostKeyCheck;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.CloseableHandle;
import org.apache.sshd.sftp.client.SftpClient.CopyMode;
import org.apache.sshd.sftp.client.SftpClient.DirEntry;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.client.impl.AbstractSftpClient;
import org.apache.sshd.sftp.client.impl.SftpInputStreamAsync;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * A {@link StorageFileSystem} over SFTP servers, serving the roots of one storage profile, through one
 * Apache MINA SSHD {@link SshClient} and a {@link SftpConnectionPool} per account and server.
 *
 * <p>Confinement is by path: every location must lie under one of the profile's roots. What the account
 * may reach on the server beyond that (through symbolic links planted there) is for the server's
 * permissions or chroot to bound.
 *
 * <p>Writes go to a hidden temporary file in the target's directory
 * ({@code .<name>.roam-partial-<random>}, parent directories created first), which is renamed over the
 * target on close: with the {@code posix-rename@openssh.com} extension where the server offers it
 * (OpenSSH does; atomic), with an overwriting rename on servers speaking SFTP version 5 or later, and
 * otherwise by removing the target and then renaming, which leaves a moment in which the target is
 * missing (readers never see a partial file, but may see none). Listings skip temporary files, and
 * writing a name of that form is refused. A client that dies mid-write leaves its temporary file
 * behind, ignored.
 */
final class SftpFileSystem implements StorageFileSystem, EmptyDirectoryRemoval {

    static final String PARTIAL_FILE_MARKER = ".roam-partial-";

    /** Keeps temporary names within the common 255-byte name limit however long the target's name is. */
    private static final int TEMPORARY_NAME_CODE_POINTS = 32;

    private final StorageProfile profile;
    private final SftpSettings settings;
    private final SshClient client;
    private final ConcurrentMap<SftpEndpoint, SftpConnectionPool> pools = new ConcurrentHashMap<>();
    private volatile boolean closed;

    SftpFileSystem(StorageProfile profile, SftpSettings settings) {
        this.profile = requireNonNull(profile, "profile is null");
        this.settings = requireNonNull(settings, "settings is null");
        for (Location root : profile.roots()) {
            if (!root.scheme().equals(SftpLocation.SCHEME)) {
                throw new IllegalArgumentException("storage profile '%s' uses the sftp backend, but its root '%s' is not an sftp:// location"
                        .formatted(profile.name(), root));
            }
            if (root.userInfo().isEmpty() && settings.username().isEmpty()) {
                throw new IllegalArgumentException("storage profile '%s': root '%s' names no user and property '%s' is not set"
                        .formatted(profile.name(), root, SftpSettings.USERNAME));
            }
        }
        this.client = startClient(settings);
    }

    private static SshClient startClient(SftpSettings settings) {
        SshClient client = SshClient.setUpDefaultClient();
        // A service authenticates only with what its profile names: no ~/.ssh/config, no ~/.ssh/id_* keys.
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setServerKeyVerifier(serverKeyVerifier(settings.hostKeyCheck()));
        client.setCipherFactories(preferredFirst(settings.ciphers(), client.getCipherFactories()));
        CoreModuleProperties.IO_CONNECT_TIMEOUT.set(client, settings.connectTimeout());
        CoreModuleProperties.AUTH_TIMEOUT.set(client, settings.connectTimeout());
        SftpModuleProperties.SFTP_CHANNEL_OPEN_TIMEOUT.set(client, settings.connectTimeout());
        // SFTP is request and answer: with Nagle's algorithm (SSHD's default) a small request waits for
        // the server's delayed acknowledgement of the previous packet, up to 40 ms on Linux.
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        client.start();
        return client;
    }

    private static ServerKeyVerifier serverKeyVerifier(HostKeyCheck hostKeyCheck) {
        return switch (hostKeyCheck) {
            // Unknown and changed keys are both refused; the file is only read, never appended to.
            case HostKeyCheck.KnownHostsFile knownHosts -> new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, knownHosts.file());
            case HostKeyCheck.Fingerprints fingerprints -> (session, address, key) -> fingerprints.fingerprints().stream()
                    .anyMatch(fingerprint -> KeyUtils.checkFingerPrint(fingerprint, key).getKey());
            case HostKeyCheck.AcceptAny ignored -> AcceptAllServerKeyVerifier.INSTANCE;
        };
    }

    private static List<NamedFactory<Cipher>> preferredFirst(List<String> preferred, List<NamedFactory<Cipher>> defaults) {
        List<NamedFactory<Cipher>> ordered = new ArrayList<>();
        for (String name : preferred) {
            ordered.add(BuiltinCiphers.fromFactoryName(name));
        }
        for (NamedFactory<Cipher> cipher : defaults) {
            if (!preferred.contains(cipher.getName())) {
                ordered.add(cipher);
            }
        }
        return ordered;
    }

    @Override
    public FileIterator list(Location directory) {
        requireNonNull(directory, "directory is null");
        if (!directory.isDirectory()) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION, "'%s' is not a directory: a location to list ends with '/'".formatted(directory));
        }
        SftpLocation listed = resolve(directory);
        return new SftpFileIterator(directory, listed.path(), path -> readDirectory(listed, path));
    }

    private List<DirectoryChild> readDirectory(SftpLocation listed, String path) {
        String directoryPath = withoutTrailingSlash(path);
        return call(listed, "list", sftpClient -> {
            List<DirectoryChild> children = new ArrayList<>();
            try (CloseableHandle handle = sftpClient.openDir(directoryPath)) {
                AtomicReference<Boolean> endOfList = new AtomicReference<>();
                for (List<DirEntry> batch = sftpClient.readDir(handle, endOfList); batch != null; batch = sftpClient.readDir(handle, endOfList)) {
                    for (DirEntry entry : batch) {
                        childOf(sftpClient, path, entry).ifPresent(children::add);
                    }
                    if (Boolean.TRUE.equals(endOfList.getAndSet(null))) {
                        break;
                    }
                }
            }
            catch (SftpException exception) {
                // Removed since it was seen, or a file where a directory was asked for: nothing under it.
                if (isMissing(exception)) {
                    return List.<DirectoryChild>of();
                }
                throw exception;
            }
            return children;
        });
    }

    /** The entry as a child to report or descend into; empty for what is not listed. */
    private static Optional<DirectoryChild> childOf(SftpClient sftpClient, String directoryPath, DirEntry entry) throws IOException {
        String name = entry.getFilename();
        if (name.equals(".") || name.equals("..") || isPartialFile(name)) {
            return Optional.empty();
        }
        Attributes attributes = entry.getAttributes();
        if (attributes.isDirectory()) {
            return Optional.of(new DirectoryChild(name, true, 0, Instant.EPOCH));
        }
        if (attributes.isSymbolicLink()) {
            // Links to files are reported with their target's size; links to directories are not followed.
            attributes = statOrNull(sftpClient, directoryPath + name);
            if (attributes == null || !attributes.isRegularFile()) {
                return Optional.empty();
            }
        }
        // Sockets, pipes and devices are not files to move.
        if (!attributes.isRegularFile()) {
            return Optional.empty();
        }
        return Optional.of(new DirectoryChild(name, false, attributes.getSize(), lastModified(attributes)));
    }

    @Override
    public Optional<FileEntry> stat(Location file) {
        SftpLocation target = resolveFile(file);
        return call(target, "stat", sftpClient -> {
            Attributes attributes = statOrNull(sftpClient, target.path());
            if (attributes == null || !attributes.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(new FileEntry(file, attributes.getSize(), lastModified(attributes)));
        });
    }

    @Override
    public InputStream openRead(Location file, long offset) {
        return openRead(file, offset, Long.MAX_VALUE);
    }

    /**
     * Reads ahead only within the range: the stream's pipelined requests stop at its end, so that a
     * parallel reader's ranges do not each fetch what the next one reads.
     */
    @Override
    public InputStream openRead(Location file, long offset, long length) {
        SftpLocation target = resolveFile(file);
        if (offset < 0) {
            throw new IllegalArgumentException("offset is negative: " + offset);
        }
        if (length < 0) {
            throw new IllegalArgumentException("length is negative: " + length);
        }
        Lease lease = acquire(target, "read");
        try {
            SftpClient sftpClient = lease.client();
            Attributes attributes = sftpClient.stat(target.path());
            if (!attributes.isRegularFile()) {
                throw new StorageException(StorageErrorKind.NOT_FOUND, "cannot read '%s': no such file (it is not a regular file)".formatted(file));
            }
            CloseableHandle handle = sftpClient.open(target.path(), OpenMode.Read);
            // The client factory always makes an AbstractSftpClient; its stream reads ahead from any offset.
            long end = offset > attributes.getSize() - length ? attributes.getSize() : offset + length;
            InputStream remote = new SftpInputStreamAsync(
                    (AbstractSftpClient) sftpClient, lease.readRequestSize(), offset, end, target.path(), handle);
            // The last request may be answered with bytes past the end of the range.
            return new RangeInputStream(new SftpFileInputStream(file, lease, remote), end - offset);
        }
        catch (IOException | RuntimeException exception) {
            lease.releaseAfter(exception);
            throw SftpErrors.failure("read", file, exception);
        }
    }

    @Override
    public StorageOutputStream openWrite(Location file) {
        SftpLocation target = resolveFile(file);
        String fileName = file.fileName();
        if (isPartialFile(fileName)) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION,
                    "cannot write '%s': names containing '%s' are reserved for Roam's temporary files".formatted(file, PARTIAL_FILE_MARKER));
        }
        Lease lease = acquire(target, "write");
        try {
            SftpClient sftpClient = lease.client();
            String directory = target.parentPath();
            createDirectories(sftpClient, file, directory);
            String temporaryPath = (directory.equals("/") ? "/" : directory + "/") + temporaryName(fileName);
            OutputStream remote = sftpClient.write(temporaryPath, settings.bufferSize(), OpenMode.Write, OpenMode.Create, OpenMode.Exclusive);
            return new SftpFileOutputStream(file, lease, remote, temporaryPath, target.path());
        }
        catch (IOException | RuntimeException exception) {
            lease.releaseAfter(exception);
            throw SftpErrors.failure("write", file, exception);
        }
    }

    @Override
    public void removeEmptyDirectories(Location directory) {
        requireNonNull(directory, "directory is null");
        if (!directory.isDirectory()) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION, "'%s' is not a directory: it does not end with '/'".formatted(directory));
        }
        SftpLocation target = resolve(directory);
        String rootPath = withoutTrailingSlash(resolve(profile.rootFor(directory).orElseThrow()).path());
        String path = withoutTrailingSlash(target.path());
        call(target, "remove the empty directories of", sftpClient -> {
            // Nothing there, a file or a link (never followed): no directory to remove.
            Attributes attributes = lstatOrNull(sftpClient, path);
            return attributes != null && attributes.isDirectory() && removeEmptyTree(sftpClient, path, rootPath);
        });
    }

    /**
     * Removes the directory when, after its empty subdirectories are removed, it holds nothing; returns whether it
     * is gone. Its children's kinds come with the listing, so only the starting directory is looked up.
     */
    private static boolean removeEmptyTree(SftpClient sftpClient, String path, String rootPath) throws IOException {
        boolean empty = true;
        for (DirEntry entry : sftpClient.readDir(path)) {
            String name = entry.getFilename();
            if (!name.equals(".") && !name.equals("..")) {
                boolean childGone = entry.getAttributes().isDirectory() && removeEmptyTree(sftpClient, path + "/" + name, rootPath);
                empty &= childGone;
            }
        }
        if (!empty || path.equals(rootPath)) {
            return false;
        }
        try {
            sftpClient.rmdir(path);
            return true;
        }
        catch (SftpException exception) {
            if (isMissing(exception)) {
                return true;
            }
            // Not empty any more: a file arrived meanwhile (version 3 servers, OpenSSH's among them, say only "failure").
            if (exception.getStatus() == SftpConstants.SSH_FX_DIR_NOT_EMPTY || exception.getStatus() == SftpConstants.SSH_FX_FAILURE) {
                return false;
            }
            throw exception;
        }
    }

    private static String withoutTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    @Override
    public void delete(Location file) {
        SftpLocation target = resolveFile(file);
        call(target, "delete", sftpClient -> {
            // lstat: deleting a link removes the link. A directory at this name is not a file: nothing to delete.
            Attributes attributes = lstatOrNull(sftpClient, target.path());
            if (attributes != null && !attributes.isDirectory()) {
                try {
                    sftpClient.remove(target.path());
                }
                catch (SftpException exception) {
                    if (!isMissing(exception)) {
                        throw exception;
                    }
                }
            }
            return null;
        });
    }

    /** Closes every session, which fails the streams still open. */
    @Override
    public void close() {
        closed = true;
        pools.values().forEach(SftpConnectionPool::close);
        pools.clear();
        client.stop();
    }

    /**
     * Renames the written temporary file over the target: atomically where the server allows it, and
     * otherwise by removing the target first (see the class comment).
     */
    static void replace(SftpClient sftpClient, String temporaryPath, String targetPath) throws IOException {
        OpenSSHPosixRenameExtension posixRename = sftpClient.getExtension(OpenSSHPosixRenameExtension.class);
        if (posixRename.isSupported()) {
            posixRename.posixRename(temporaryPath, targetPath);
        }
        else if (sftpClient.getVersion() >= SftpConstants.SFTP_V5) {
            sftpClient.rename(temporaryPath, targetPath, CopyMode.Overwrite);
        }
        else {
            // SFTP version 3 renames never replace: not atomic, the target is briefly missing.
            Attributes existing = lstatOrNull(sftpClient, targetPath);
            if (existing != null && !existing.isDirectory()) {
                sftpClient.remove(targetPath);
            }
            sftpClient.rename(temporaryPath, targetPath);
        }
    }

    /** Creates a directory and its missing parents; racing writers creating the same directories are fine. */
    private static void createDirectories(SftpClient sftpClient, Location file, String directory) throws IOException {
        if (directory.equals("/")) {
            return;
        }
        Attributes attributes = statOrNull(sftpClient, directory);
        if (attributes != null) {
            if (attributes.isDirectory()) {
                return;
            }
            // Roam makes no conditional writes: something is in the way of a directory it needs.
            throw new StorageException(StorageErrorKind.FATAL, "cannot write '%s': '%s' on the server is a file, not a directory".formatted(file, directory));
        }
        int slash = directory.lastIndexOf('/');
        createDirectories(sftpClient, file, slash == 0 ? "/" : directory.substring(0, slash));
        try {
            sftpClient.mkdir(directory);
        }
        catch (SftpException exception) {
            Attributes raced = statOrNull(sftpClient, directory);
            if (raced == null || !raced.isDirectory()) {
                throw exception;
            }
        }
    }

    private static Attributes statOrNull(SftpClient sftpClient, String path) throws IOException {
        try {
            return sftpClient.stat(path);
        }
        catch (SftpException exception) {
            if (isMissing(exception)) {
                return null;
            }
            throw exception;
        }
    }

    private static Attributes lstatOrNull(SftpClient sftpClient, String path) throws IOException {
        try {
            return sftpClient.lstat(path);
        }
        catch (SftpException exception) {
            if (isMissing(exception)) {
                return null;
            }
            throw exception;
        }
    }

    private static boolean isMissing(SftpException exception) {
        return SftpErrors.kindOfStatus(exception.getStatus()) == StorageErrorKind.NOT_FOUND;
    }

    private static Instant lastModified(Attributes attributes) {
        FileTime modified = attributes.getModifyTime();
        return modified == null ? Instant.EPOCH : modified.toInstant();
    }

    static boolean isPartialFile(String name) {
        return name.startsWith(".") && name.contains(PARTIAL_FILE_MARKER);
    }

    private static String temporaryName(String fileName) {
        int end = fileName.offsetByCodePoints(0, Math.min(TEMPORARY_NAME_CODE_POINTS, fileName.codePointCount(0, fileName.length())));
        return "." + fileName.substring(0, end) + PARTIAL_FILE_MARKER + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    @FunctionalInterface
    private interface SftpAction<T> {
        T apply(SftpClient sftpClient) throws IOException;
    }

    /** Runs one operation on a leased channel and classifies what fails. */
    private <T> T call(SftpLocation location, String operation, SftpAction<T> action) {
        Lease lease = acquire(location, operation);
        T result;
        try {
            result = action.apply(lease.client());
        }
        catch (IOException | RuntimeException exception) {
            lease.releaseAfter(exception);
            throw SftpErrors.failure(operation, location.location(), exception);
        }
        lease.release();
        return result;
    }

    private Lease acquire(SftpLocation location, String operation) {
        if (closed) {
            throw new StorageException(StorageErrorKind.FATAL, "cannot %s '%s': the file system is closed".formatted(operation, location.location()));
        }
        SftpConnectionPool pool = pools.computeIfAbsent(location.endpoint(), endpoint -> new SftpConnectionPool(client, endpoint, settings));
        try {
            return pool.acquire();
        }
        catch (StorageException exception) {
            // The pool's failures name the server, not the location.
            throw new StorageException(exception.kind(), "cannot %s '%s': %s".formatted(operation, location.location(), exception.getMessage()), exception);
        }
        catch (IOException | RuntimeException exception) {
            throw SftpErrors.failure(operation, location.location(), exception);
        }
    }

    /** The SSH sessions open now to the server of a location. */
    List<ClientSession> openSessions(Location location) {
        SftpConnectionPool pool = pools.get(resolve(location).endpoint());
        return pool == null ? List.of() : pool.openSessions();
    }

    private SftpLocation resolveFile(Location file) {
        requireNonNull(file, "file is null");
        if (file.isDirectory()) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION, "'%s' is a directory: a file location does not end with '/'".formatted(file));
        }
        return resolve(file);
    }

    private SftpLocation resolve(Location location) {
        if (!profile.serves(location)) {
            throw new StorageException(StorageErrorKind.INVALID_LOCATION,
                    "'%s' is outside storage profile '%s', which serves %s".formatted(location, profile.name(), profile.roots()));
        }
        return SftpLocation.of(location, settings.username());
    }
}
