package io.roam.catalog.events;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.roam.service.DoublingPause;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.hibernate.exception.JDBCConnectionException;
import org.jboss.logging.Logger;

/**
 * Runs the applying of a transfer event again, after each {@link DoublingPause}, for as long
 * as it fails because the database is unavailable for a moment: the event is valid, and sending it to the
 * dead-letter topic would lose a transfer's outcome for good. Each attempt is a new transaction; applying
 * is idempotent per event id, so an attempt whose commit did succeed unseen changes nothing the next time.
 *
 * Every other failure is thrown at once: the event can never be applied.
 */
final class DatabaseRetry {

    private static final Logger LOG = Logger.getLogger(DatabaseRetry.class);
    /** Shutdown or crash of the server ({@code 57P01..3}), serialization failure, deadlock. */
    private static final Set<String> TRANSIENT_SQL_STATES = Set.of("57P01", "57P02", "57P03", "40001", "40P01");
    /** What Agroal says, without an SQLState, when no connection of the pool became free in time. */
    private static final String POOL_ACQUISITION_TIMEOUT = "acquisition timeout";

    private final Counter waits;

    /** @param waits counted once for every pause before another attempt */
    DatabaseRetry(Counter waits) {
        this.waits = requireNonNull(waits, "waits is null");
    }

    /**
     * @param eventId names the event in the log line of each pause
     * @return what {@code attempt} returned once it succeeded
     * @throws RuntimeException what {@code attempt} threw when it is not a transient failure of the database
     * @throws InterruptedException when the thread is interrupted while it pauses
     */
    <T> T untilDone(Object eventId, Supplier<T> attempt) throws InterruptedException {
        DoublingPause pause = new DoublingPause();
        while (true) {
            try {
                return attempt.get();
            }
            catch (RuntimeException failure) {
                String cause = transientCause(failure).orElseThrow(() -> failure);
                waits.increment();
                LOG.warnf("transfer event %s waits for the database (%s); trying again in %s", eventId, cause, pause.next());
                pause.pause();
            }
        }
    }

    /**
     * Whether {@code failure} or one of its causes says the database is unavailable for a moment: an SQLState of
     * class {@code 08} (connection lost, refused or terminated), class {@code 53} (insufficient resources, such as
     * too many connections), {@code 57P01/57P02/57P03} (the server shuts down, crashed, or is starting),
     * {@code 40001} (serialization failure) or {@code 40P01} (deadlock); Hibernate's {@link JDBCConnectionException};
     * or the connection pool's acquisition timeout.
     *
     * @return a short description of the transient cause, without any message of the server (for logs), or empty
     *     when the failure is not transient
     */
    static Optional<String> transientCause(Throwable failure) {
        // A bounded walk: a cause chain may loop.
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < 32; depth++, cause = cause.getCause()) {
            if (cause instanceof JDBCConnectionException) {
                return Optional.of("connection failure");
            }
            if (cause instanceof SQLException sqlFailure) {
                String sqlState = sqlFailure.getSQLState();
                if (sqlState != null && isTransient(sqlState)) {
                    return Optional.of("SQLState " + sqlState);
                }
                if (sqlState == null && sqlFailure.getMessage() != null
                        && sqlFailure.getMessage().toLowerCase(Locale.ROOT).contains(POOL_ACQUISITION_TIMEOUT)) {
                    return Optional.of("no pooled connection became free in time");
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isTransient(String sqlState) {
        return sqlState.startsWith("08") || sqlState.startsWith("53") || TRANSIENT_SQL_STATES.contains(sqlState);
    }
}
