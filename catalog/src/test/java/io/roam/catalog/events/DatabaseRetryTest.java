package io.roam.catalog.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.persistence.PersistenceException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseRetryTest {

    private final Counter waits = new SimpleMeterRegistry().counter("waits");
    private final DatabaseRetry retry = new DatabaseRetry(waits);

    @ParameterizedTest
    @ValueSource(strings = {"08000", "08001", "08003", "08006", "53000", "53100", "53200", "53300", "57P01", "57P02", "57P03",
            "40001", "40P01"})
    void aLostConnectionAShortageOfTheServerItsShutdownASerializationFailureOrADeadlockIsTransient(String sqlState) {
        SQLException failure = new SQLException("the server said so", sqlState);

        assertThat(DatabaseRetry.transientCause(failure)).contains("SQLState " + sqlState);
    }

    @Test
    void aTransientCauseIsFoundWhereverItIsInTheChain() {
        // How Hibernate and the transaction interceptor wrap what the driver threw.
        PersistenceException wrapped = new PersistenceException("could not execute statement",
                new RuntimeException("rolled back", new SQLException("terminating connection due to administrator command", "57P01")));

        assertThat(DatabaseRetry.transientCause(wrapped)).contains("SQLState 57P01");
    }

    @Test
    void hibernatesConnectionFailureAndThePoolsAcquisitionTimeoutAreTransient() {
        assertThat(DatabaseRetry.transientCause(new JDBCConnectionException("could not prepare statement", new SQLException("gone"))))
                .contains("connection failure");
        assertThat(DatabaseRetry.transientCause(new PersistenceException(new SQLException("Sorry, acquisition timeout!"))))
                .contains("no pooled connection became free in time");
    }

    @ParameterizedTest
    @ValueSource(strings = {"23505", "23503", "22001", "42P01", "42501", "28P01", "40002", "57014", "XX000"})
    void aViolatedConstraintBadDataAMissingTableRefusedCredentialsOrACancelledStatementIsNot(String sqlState) {
        assertThat(DatabaseRetry.transientCause(new PersistenceException(new SQLException("refused", sqlState)))).isEmpty();
    }

    @Test
    void failuresThatAreNotTheDatabasesAreNotTransient() {
        assertThat(DatabaseRetry.transientCause(new SQLException("no state, no timeout"))).isEmpty();
        assertThat(DatabaseRetry.transientCause(new IllegalStateException("bug"))).isEmpty();
        assertThat(DatabaseRetry.transientCause(new ConstraintViolationException("duplicate", new BatchUpdateException(), "pk")))
                .isEmpty();
    }

    @Test
    void aCauseChainThatLoopsEndsTheSearch() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);

        assertThat(DatabaseRetry.transientCause(first)).isEmpty();
    }

    @Test
    void anAttemptThatFailsTransientlyIsMadeAgainAfterAPause() throws InterruptedException {
        AtomicInteger attempts = new AtomicInteger();

        String result = retry.untilDone("event-1", () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new PersistenceException(new SQLException("An I/O error occurred while sending to the backend.", "08006"));
            }
            return "applied";
        });

        assertThat(result).isEqualTo("applied");
        assertThat(attempts).hasValue(2);
        assertThat(waits.count()).isEqualTo(1);
    }

    @Test
    void anAttemptThatCanNeverSucceedIsThrownAtOnce() {
        AtomicInteger attempts = new AtomicInteger();
        IllegalArgumentException invalid = new IllegalArgumentException("invalid");

        assertThatThrownBy(() -> retry.untilDone("event-1", () -> {
            attempts.incrementAndGet();
            throw invalid;
        })).isSameAs(invalid);
        assertThat(attempts).hasValue(1);
        assertThat(waits.count()).isZero();
    }

    @Test
    void anInterruptEndsTheWait() {
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> retry.untilDone("event-1", () -> {
            throw new PersistenceException(new SQLException("the database system is shutting down", "57P03"));
        })).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
    }
}
