package io.roam.service;

import java.time.Duration;

/**
 * The pauses of a Kafka consumer that waits for a dependency (the catalog, the database) before it tries a valid
 * record again: 500 ms, then twice as long each time, at most 30 s.
 *
 * <p>A plain pause of the consumer's thread, not a scheduled retry: the record must stay unacknowledged and in order
 * on its partition until the dependency answers, and the thread has nothing else to do meanwhile. The pause doubles
 * so that an outage is not met with a storm of attempts, and it ends at once when the thread is interrupted (shutdown).
 */
public final class DoublingPause {

    private static final Duration FIRST = Duration.ofMillis(500);
    private static final Duration LONGEST = Duration.ofSeconds(30);

    private Duration next = FIRST;

    /** How long the next {@link #pause()} lasts. */
    public Duration next() {
        return next;
    }

    /**
     * Pauses for {@link #next()}, then doubles it up to 30 s.
     *
     * @throws InterruptedException when the thread is interrupted while it pauses
     */
    public void pause() throws InterruptedException {
        Thread.sleep(next);
        next = doubled(next);
    }

    /** Twice {@code pause}, at most 30 s. */
    static Duration doubled(Duration pause) {
        Duration doubled = pause.multipliedBy(2);
        return doubled.compareTo(LONGEST) > 0 ? LONGEST : doubled;
    }
}
