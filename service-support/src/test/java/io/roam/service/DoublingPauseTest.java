package io.roam.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DoublingPauseTest {

    @Test
    void startsAtHalfASecondAndDoublesUpToThirtySeconds() {
        assertThat(new DoublingPause().next()).isEqualTo(Duration.ofMillis(500));
        assertThat(DoublingPause.doubled(Duration.ofMillis(500))).isEqualTo(Duration.ofSeconds(1));
        assertThat(DoublingPause.doubled(Duration.ofSeconds(16))).isEqualTo(Duration.ofSeconds(30));
        assertThat(DoublingPause.doubled(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void anInterruptedThreadStopsPausingAtOnce() {
        DoublingPause pause = new DoublingPause();
        Thread.currentThread().interrupt();

        assertThatThrownBy(pause::pause).isInstanceOf(InterruptedException.class);
        assertThat(pause.next()).as("a pause that did not happen does not count").isEqualTo(Duration.ofMillis(500));
    }
}
