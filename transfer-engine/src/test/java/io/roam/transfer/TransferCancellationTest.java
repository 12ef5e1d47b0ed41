package io.roam.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The two ways of stopping a transfer, and which one wins when both are asked for. */
class TransferCancellationTest {

    private final TransferCancellation cancellation = new TransferCancellation();

    @Test
    void aNewCancellationLetsTransfersRun() {
        assertThat(cancellation.isCancelled()).isFalse();
        assertThat(cancellation.isHandedOver()).isFalse();
        cancellation.throwIfCancelled();
    }

    @Test
    void aCancelledTransferStopsForGood() {
        cancellation.cancel();

        assertThat(cancellation.isCancelled()).isTrue();
        assertThat(cancellation.isHandedOver()).isFalse();
        assertThatThrownBy(cancellation::throwIfCancelled).isInstanceOf(TransferCancelledException.class).hasMessageContaining("cancelled");
    }

    @Test
    void aHandedOverTransferStopsToBeContinuedElsewhere() {
        cancellation.handOver();

        assertThat(cancellation.isCancelled()).isTrue();
        assertThat(cancellation.isHandedOver()).isTrue();
        assertThatThrownBy(cancellation::throwIfCancelled).isInstanceOf(TransferCancelledException.class)
                .hasMessageContaining("continued by another run");
    }

    @Test
    void aCancellationAfterAHandOverWins() {
        cancellation.handOver();

        cancellation.cancel();

        assertThat(cancellation.isHandedOver()).isFalse();
        assertThat(cancellation.isCancelled()).isTrue();
    }

    @Test
    void aHandOverAfterACancellationDoesNothing() {
        cancellation.cancel();

        cancellation.handOver();

        assertThat(cancellation.isHandedOver()).isFalse();
        assertThat(cancellation.isCancelled()).isTrue();
    }
}
