package io.roam.infrastructure.quarkus;

import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.roam.infrastructure.PostgresServer;
import io.roam.infrastructure.WorkDirectories;

/**
 * Gives a Quarkus test a real PostgreSQL database: an embedded {@link PostgresServer} started in a temporary
 * directory, which {@link #stop()} stops and deletes.
 *
 * <p>To use a server that is already running instead, set the init argument {@value #JDBC_URL_ARGUMENT} or the
 * system property {@value #JDBC_URL_PROPERTY}, with the credentials in {@value #USERNAME_ARGUMENT} /
 * {@value #USERNAME_PROPERTY} and {@value #PASSWORD_ARGUMENT} / {@value #PASSWORD_PROPERTY} (init arguments win);
 * nothing is started or stopped then.
 *
 * <p>Returns the configuration {@code quarkus.datasource.jdbc.url}, {@code quarkus.datasource.username} and
 * {@code quarkus.datasource.password} of the default datasource.
 */
public final class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    /** The init argument giving the JDBC URL of an already running server. */
    public static final String JDBC_URL_ARGUMENT = "jdbc-url";
    /** The init argument giving the user of an already running server. */
    public static final String USERNAME_ARGUMENT = "username";
    /** The init argument giving the password of an already running server. */
    public static final String PASSWORD_ARGUMENT = "password";
    /** The system property giving the JDBC URL of an already running server. */
    public static final String JDBC_URL_PROPERTY = "roam.test.postgres.jdbc-url";
    /** The system property giving the user of an already running server. */
    public static final String USERNAME_PROPERTY = "roam.test.postgres.username";
    /** The system property giving the password of an already running server. */
    public static final String PASSWORD_PROPERTY = "roam.test.postgres.password";

    private Map<String, String> initArgs = Map.of();
    private Path workDirectory;
    private PostgresServer server;

    @Override
    public void init(Map<String, String> initArgs) {
        this.initArgs = Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        String externalJdbcUrl = setting(JDBC_URL_ARGUMENT, JDBC_URL_PROPERTY);
        if (externalJdbcUrl != null && !externalJdbcUrl.isBlank()) {
            server = PostgresServer.external(externalJdbcUrl, settingOrEmpty(USERNAME_ARGUMENT, USERNAME_PROPERTY),
                    settingOrEmpty(PASSWORD_ARGUMENT, PASSWORD_PROPERTY));
        }
        else {
            workDirectory = WorkDirectories.createTemporary("roam-postgres-");
            try {
                server = PostgresServer.startEmbedded(workDirectory);
            }
            catch (RuntimeException exception) {
                WorkDirectories.deleteRecursively(workDirectory);
                throw exception;
            }
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", server.jdbcUrl(),
                "quarkus.datasource.username", server.username(),
                "quarkus.datasource.password", server.password());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
        if (workDirectory != null) {
            WorkDirectories.deleteRecursively(workDirectory);
            workDirectory = null;
        }
    }

    private String setting(String argument, String property) {
        return initArgs.getOrDefault(argument, System.getProperty(property));
    }

    private String settingOrEmpty(String argument, String property) {
        String value = setting(argument, property);
        return value == null ? "" : value;
    }
}
