package dev.conversa.session.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class ZombieDetectorTest {

    private final ZombieDetector detector = new ZombieDetector(3);
    private final UUID session = UUID.randomUUID();

    @Test
    void sessionBecomesAZombieOnTheThirdFailureInARowOnlyOnce() {
        assertThat(detector.failed(session)).isFalse();
        assertThat(detector.failed(session)).isFalse();
        assertThat(detector.failed(session)).isTrue();

        assertThat(detector.failuresInARow(session)).isZero();
        assertThat(detector.failed(session)).isFalse();
    }

    @Test
    void anAnswerInBetweenStartsTheCountOver() {
        detector.failed(session);
        detector.failed(session);
        detector.answered(session);

        assertThat(detector.failed(session)).isFalse();
        assertThat(detector.failuresInARow(session)).isEqualTo(1);
    }

    @Test
    void sessionsAreCountedApart() {
        UUID other = UUID.randomUUID();
        detector.failed(session);
        detector.failed(session);

        assertThat(detector.failed(other)).isFalse();
        assertThat(detector.failuresInARow(session)).isEqualTo(2);
    }

    @Test
    void thresholdBelowOneIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ZombieDetector(0));
    }
}
