package io.roam.infrastructure.quarkus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PostgresTestResourceTest {

    @Test
    void startsADatabaseReachableWithTheReturnedDatasourceConfigurationAndStopsIt() throws SQLException {
        PostgresTestResource resource = new PostgresTestResource();
        resource.init(Map.of());
        Map<String, String> configuration;
        try {
            configuration = resource.start();
            assertThat(configuration).containsOnlyKeys("quarkus.datasource.jdbc.url", "quarkus.datasource.username",
                    "quarkus.datasource.password");
            try (Connection connection = connect(configuration)) {
                assertThat(connection.isValid(5)).isTrue();
            }
        }
        finally {
            resource.stop();
        }

        assertThatThrownBy(() -> connect(configuration).close()).isInstanceOf(SQLException.class);
    }

    @Test
    void returnsTheConfigurationOfAnExternalServerWithoutStartingOne() {
        PostgresTestResource resource = new PostgresTestResource();
        resource.init(Map.of("jdbc-url", "jdbc:postgresql://db.example:5432/roam", "username", "roam",
                "password", "secret"));

        assertThat(resource.start()).containsOnly(
                Map.entry("quarkus.datasource.jdbc.url", "jdbc:postgresql://db.example:5432/roam"),
                Map.entry("quarkus.datasource.username", "roam"),
                Map.entry("quarkus.datasource.password", "secret"));
        resource.stop();
    }

    private static Connection connect(Map<String, String> configuration) throws SQLException {
        return DriverManager.getConnection(configuration.get("quarkus.datasource.jdbc.url"),
                configuration.get("quarkus.datasource.username"), configuration.get("quarkus.datasource.password"));
    }
}
