package io.roam.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.roam.infrastructure.PostgresServer;
import io.roam.infrastructure.WorkDirectories;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.assertj.core.groups.Tuple;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Migration V4 on replicas recorded before it, when a replica's location was kept as the request wrote it:
 * every location becomes canonical, and the replicas that named one place in several ways become one.
 */
class CanonicalReplicaLocationsMigrationTest {

    private static final Instant EARLIER = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant LATER = Instant.parse("2026-11-02T00:00:00Z");

    private static Path workDirectory;
    private static PostgresServer server;

    @BeforeAll
    static void startPostgres() {
        workDirectory = WorkDirectories.createTemporary("roam-migration-");
        server = PostgresServer.startEmbedded(workDirectory);
    }

    @AfterAll
    static void stopPostgres() {
        if (server != null) {
            server.close();
        }
        WorkDirectories.deleteRecursively(workDirectory);
    }

    @Test
    void replicasOfOnePlaceBecomeTheOneReadersTrustMostAndEveryLocationBecomesCanonical() throws SQLException {
        migrate("3");
        UUID checkpoint = UUID.randomUUID();
        UUID dataset = UUID.randomUUID();
        UUID trusted;
        try (Connection connection = connect()) {
            insertArtifact(connection, checkpoint, "checkpoint-1");
            insertArtifact(connection, dataset, "v1");
            insertReplica(connection, checkpoint, "/data/run/checkpoint-1/", "FAILED", null, LATER);
            trusted = insertReplica(connection, checkpoint, "file:///data/run/checkpoint-1/", "AVAILABLE", LATER, EARLIER);
            insertReplica(connection, checkpoint, "FILE:///data/run/checkpoint-1/", "AVAILABLE", EARLIER, LATER);
            insertReplica(connection, checkpoint, "gcs://mirror/run/checkpoint-1/", "PENDING", null, EARLIER);
            insertReplica(connection, checkpoint, "az://east/run/checkpoint-1/", "AVAILABLE", EARLIER, EARLIER);
            insertReplica(connection, checkpoint, "s3://west/run/checkpoint-1/", "STALE", EARLIER, EARLIER);
            insertReplica(connection, dataset, "/data/run/checkpoint-1/", "AVAILABLE", null, EARLIER);
        }

        migrate("4");

        assertThat(replicas(checkpoint)).containsExactly(
                tuple("abfs://east/run/checkpoint-1/", "AVAILABLE"),
                tuple("file:///data/run/checkpoint-1/", "AVAILABLE"),
                tuple("gs://mirror/run/checkpoint-1/", "PENDING"),
                tuple("s3://west/run/checkpoint-1/", "STALE"));
        assertThat(replicaIdAt(checkpoint, "file:///data/run/checkpoint-1/")).isEqualTo(trusted);
        assertThat(replicas(dataset)).containsExactly(tuple("file:///data/run/checkpoint-1/", "AVAILABLE"));
    }

    private static void migrate(String version) {
        Flyway.configure()
                .dataSource(server.jdbcUrl(), server.username(), server.password())
                .locations("classpath:db/migration")
                .target(version)
                .load()
                .migrate();
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
    }

    private static void insertArtifact(Connection connection, UUID id, String version) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into artifact (id, project, kind, name, version, created_at) values (?, 'llm', 'CHECKPOINT', 'run', ?, ?)")) {
            insert.setObject(1, id);
            insert.setString(2, version);
            insert.setTimestamp(3, Timestamp.from(EARLIER));
            insert.executeUpdate();
        }
    }

    private static UUID insertReplica(Connection connection, UUID artifactId, String location, String state, Instant verifiedAt,
            Instant updatedAt) throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into replica (id, artifact_id, location, state, verified_at, updated_at) values (?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, id);
            insert.setObject(2, artifactId);
            insert.setString(3, location);
            insert.setString(4, state);
            insert.setTimestamp(5, verifiedAt == null ? null : Timestamp.from(verifiedAt));
            insert.setTimestamp(6, Timestamp.from(updatedAt));
            insert.executeUpdate();
        }
        return id;
    }

    private static List<Tuple> replicas(UUID artifactId) throws SQLException {
        List<Tuple> replicas = new ArrayList<>();
        try (Connection connection = connect();
                PreparedStatement query = connection.prepareStatement("select location, state from replica where artifact_id = ? order by location")) {
            query.setObject(1, artifactId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    replicas.add(tuple(rows.getString("location"), rows.getString("state")));
                }
            }
        }
        return replicas;
    }

    private static UUID replicaIdAt(UUID artifactId, String location) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement query = connection.prepareStatement("select id from replica where artifact_id = ? and location = ?")) {
            query.setObject(1, artifactId);
            query.setString(2, location);
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).as("a replica at %s", location).isTrue();
                return rows.getObject("id", UUID.class);
            }
        }
    }
}
