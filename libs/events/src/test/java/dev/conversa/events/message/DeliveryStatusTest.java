package dev.conversa.events.message;

import static dev.conversa.events.message.DeliveryStatus.ACCEPTED;
import static dev.conversa.events.message.DeliveryStatus.DELIVERED;
import static dev.conversa.events.message.DeliveryStatus.FAILED;
import static dev.conversa.events.message.DeliveryStatus.PENDING;
import static dev.conversa.events.message.DeliveryStatus.READ;
import static dev.conversa.events.message.DeliveryStatus.SENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Arrays;
import java.util.EnumSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class DeliveryStatusTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "PENDING, ACCEPTED", "PENDING, SENT", "PENDING, DELIVERED", "PENDING, READ",
            "ACCEPTED, SENT", "ACCEPTED, DELIVERED", "ACCEPTED, READ",
            "SENT, DELIVERED", "SENT, READ",
            "DELIVERED, READ"})
    void movesForwardIncludingSkippedSteps(DeliveryStatus from, DeliveryStatus to) {
        assertThat(from.canMoveTo(to)).isTrue();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "ACCEPTED, PENDING", "SENT, ACCEPTED", "SENT, PENDING", "DELIVERED, SENT", "DELIVERED, ACCEPTED",
            "READ, DELIVERED", "READ, SENT", "READ, PENDING"})
    void lateReceiptNeverMovesBackward(DeliveryStatus from, DeliveryStatus to) {
        assertThat(from.canMoveTo(to)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = DeliveryStatus.class, names = {"PENDING", "ACCEPTED", "SENT", "DELIVERED"})
    void failureCanFollowAnyNonTerminalStatus(DeliveryStatus from) {
        assertThat(from.canMoveTo(FAILED)).isTrue();
        assertThat(from.isTerminal()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(DeliveryStatus.class)
    void failedIsTerminal(DeliveryStatus next) {
        assertThat(FAILED.isTerminal()).isTrue();
        assertThat(FAILED.canMoveTo(next)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(DeliveryStatus.class)
    void readIsTerminalEvenForFailure(DeliveryStatus next) {
        assertThat(READ.isTerminal()).isTrue();
        assertThat(READ.canMoveTo(next)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(DeliveryStatus.class)
    void sameStatusIsNotAMove(DeliveryStatus status) {
        assertThat(status.canMoveTo(status)).isFalse();
    }

    @Test
    void receiptsInAnyOrderEndInTheFurthestStatus() {
        DeliveryStatus current = PENDING;
        for (DeliveryStatus receipt : new DeliveryStatus[] {DELIVERED, SENT, ACCEPTED, READ, DELIVERED, FAILED}) {
            if (current.canMoveTo(receipt)) {
                current = receipt;
            }
        }
        assertThat(current).isEqualTo(READ);
    }

    @Test
    void wireValuesAreLowerCaseAndReadBack() {
        assertThat(Arrays.stream(DeliveryStatus.values()).map(DeliveryStatus::value))
                .containsExactly("pending", "accepted", "sent", "delivered", "read", "failed");
        EnumSet.allOf(DeliveryStatus.class)
                .forEach(status -> assertThat(DeliveryStatus.fromValue(status.value())).isEqualTo(status));
        assertThatIllegalArgumentException().isThrownBy(() -> DeliveryStatus.fromValue("SENT"));
    }
}
