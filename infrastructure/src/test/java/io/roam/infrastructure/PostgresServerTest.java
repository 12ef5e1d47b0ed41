package io.roam.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerTest {

    @TempDir
    Path workDirectory;

    @Nested
    class Embedded {

        @Test
        void answersQueriesOnTheRoamDatabaseAtALoopbackAddress() throws SQLException {
            try (PostgresServer server = PostgresServer.startEmbedded(workDirectory)) {
                assertThat(server.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:").endsWith("/roam");
                assertThat(queryOne(server, "select version()")).startsWith("PostgreSQL 14.");
                assertThat(queryOne(server, "select current_database()")).isEqualTo("roam");
            }
        }

        @Test
        void closeStopsTheServerProcess() {
            PostgresServer server = PostgresServer.startEmbedded(workDirectory);
            long pid = server.pid().orElseThrow();

            server.close();

            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
            assertThatThrownBy(() -> queryOne(server, "select 1")).isInstanceOf(SQLException.class);
        }

        @Test
        void aServerRestartedOnTheSameWorkDirectoryKeepsItsData() throws SQLException {
            try (PostgresServer server = PostgresServer.startEmbedded(workDirectory)) {
                execute(server, "create table datasets (name text primary key)");
                execute(server, "insert into datasets values ('imagenet-subset')");
            }
            try (PostgresServer restarted = PostgresServer.startEmbedded(workDirectory)) {
                assertThat(queryOne(restarted, "select name from datasets")).isEqualTo("imagenet-subset");
            }
        }
    }

    @Nested
    @EnabledIf(value = "io.roam.infrastructure.PostgresServerTest#postgresqlIsInstalled",
            disabledReason = "no PostgreSQL installation under /usr/lib/postgresql/*/bin on this machine")
    class FromInstalledBinaries {

        @Test
        void answersQueriesOnTheRoamDatabaseAndStopsOnClose() throws SQLException {
            PostgresServer server = PostgresServer.startFromBinaries(installedBinDirectory().orElseThrow(),
                    workDirectory);
            long pid = server.pid().orElseThrow();
            try {
                assertThat(server.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:").endsWith("/roam");
                assertThat(queryOne(server, "select current_database()")).isEqualTo("roam");
                assertThat(queryOne(server, "select version()")).startsWith("PostgreSQL ");
            }
            finally {
                server.close();
            }
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        }
    }

    @Test
    void anExternalServerIsOnlyReferredTo() {
        PostgresServer server = PostgresServer.external("jdbc:postgresql://db.example:5432/roam", "roam", "secret");

        server.close();

        assertThat(server.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5432/roam");
        assertThat(server.username()).isEqualTo("roam");
        assertThat(server.password()).isEqualTo("secret");
        assertThat(server.pid()).isEmpty();
    }

    static boolean postgresqlIsInstalled() {
        return installedBinDirectory().isPresent();
    }

    private static Optional<Path> installedBinDirectory() {
        Path installations = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(installations)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(installations)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("pg_ctl")))
                    .sorted()
                    .reduce((older, newer) -> newer);
        }
        catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
    }

    private static String queryOne(PostgresServer server, String query) throws SQLException {
        try (Connection connection = connect(server);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(query)) {
            assertThat(result.next()).isTrue();
            return result.getString(1);
        }
    }

    private static void execute(PostgresServer server, String sql) throws SQLException {
        try (Connection connection = connect(server); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static Connection connect(PostgresServer server) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
    }
}
