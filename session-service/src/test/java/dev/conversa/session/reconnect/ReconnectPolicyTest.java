package dev.conversa.session.reconnect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.conversa.session.reconnect.ReconnectDecision.ReconnectAfter;
import dev.conversa.session.reconnect.ReconnectDecision.ReconnectNow;
import dev.conversa.session.reconnect.ReconnectDecision.Stop;
import dev.conversa.session.reconnect.ReconnectDecision.TerminalStatus;
import dev.conversa.session.reconnect.ReconnectDecision.WaitForNewQr;

class ReconnectPolicyTest {

    /** A jitter source that always draws the top of the range, so a delay equals its cap. */
    private static final RandomGenerator HIGHEST = new RandomGenerator() {
        @Override
        public long nextLong() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    /** A jitter source that always draws 0. */
    private static final RandomGenerator LOWEST = new RandomGenerator() {
        @Override
        public long nextLong() {
            return 0;
        }

        @Override
        public long nextLong(long bound) {
            return 0;
        }
    };

    private final ReconnectPolicy policy = new ReconnectPolicy(ReconnectProperties.defaults(), HIGHEST);

    static Stream<Arguments> decisionsOnAFirstDisconnect() {
        return Stream.of(
                Arguments.of(DisconnectReason.RESTART_REQUIRED, new ReconnectNow()),
                Arguments.of(DisconnectReason.CONNECTION_LOST, new ReconnectAfter(Duration.ofSeconds(1), 1)),
                Arguments.of(DisconnectReason.CONNECTION_CLOSED, new ReconnectAfter(Duration.ofSeconds(1), 1)),
                Arguments.of(DisconnectReason.UNAVAILABLE_SERVICE, new ReconnectAfter(Duration.ofSeconds(1), 1)),
                Arguments.of(DisconnectReason.BAD_SESSION, new ReconnectAfter(Duration.ofSeconds(1), 1)),
                Arguments.of(DisconnectReason.UNKNOWN, new ReconnectAfter(Duration.ofSeconds(1), 1)),
                Arguments.of(DisconnectReason.LOGGED_OUT, new Stop(TerminalStatus.LOGGED_OUT, true, true)),
                Arguments.of(DisconnectReason.BANNED, new Stop(TerminalStatus.BANNED, false, false)),
                Arguments.of(DisconnectReason.MULTIDEVICE_MISMATCH, new Stop(TerminalStatus.FAILED, true, true)),
                Arguments.of(DisconnectReason.CONNECTION_REPLACED, new Stop(TerminalStatus.FAILED, false, true)),
                Arguments.of(DisconnectReason.QR_REFS_ENDED, new WaitForNewQr()));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("decisionsOnAFirstDisconnect")
    void everyReasonGetsItsDecision(DisconnectReason reason, ReconnectDecision expected) {
        assertThat(policy.decide(reason, 0, false)).isEqualTo(expected);
    }

    @Test
    void theTableCoversEveryReason() {
        Set<DisconnectReason> covered = EnumSet.noneOf(DisconnectReason.class);
        decisionsOnAFirstDisconnect().forEach(arguments -> covered.add((DisconnectReason) arguments.get()[0]));

        assertThat(covered).containsExactlyInAnyOrder(DisconnectReason.values());
    }

    @ParameterizedTest
    @EnumSource(value = DisconnectReason.class, names = {"LOGGED_OUT", "BANNED", "MULTIDEVICE_MISMATCH",
        "CONNECTION_REPLACED", "QR_REFS_ENDED"})
    void permanentReasonsAndQrExpiryDoNotDependOnAttempts(DisconnectReason reason) {
        ReconnectDecision first = policy.decide(reason, 0, false);

        assertThat(policy.decide(reason, 3, true)).isEqualTo(first);
        assertThat(policy.decide(reason, 50, false)).isEqualTo(first);
        assertThat(first).isNotInstanceOfAny(ReconnectNow.class, ReconnectAfter.class);
    }

    @Test
    void loggedOutWipesTheAuthStateAndAsksForANewQr() {
        assertThat(policy.decide(DisconnectReason.LOGGED_OUT, 2, false))
                .isEqualTo(new Stop(TerminalStatus.LOGGED_OUT, true, true));
    }

    @Test
    void repeatedBadSessionStopsWipesAndAsksForANewQr() {
        assertThat(policy.decide(DisconnectReason.BAD_SESSION, 0, false)).isInstanceOf(ReconnectAfter.class);
        assertThat(policy.decide(DisconnectReason.BAD_SESSION, 1, true))
                .isEqualTo(new Stop(TerminalStatus.FAILED, true, true));
    }

    @Test
    void restartRequiredReconnectsAtOnceWhateverTheBackOff() {
        ReconnectPolicy slow = new ReconnectPolicy(
                new ReconnectProperties(Duration.ofMinutes(1), 3, Duration.ofHours(1), 5), HIGHEST);

        assertThat(slow.decide(DisconnectReason.RESTART_REQUIRED, 4, false)).isEqualTo(new ReconnectNow());
    }

    @Test
    void restartRequiredOverAndOverEndsAsFailedInsteadOfAHotLoop() {
        assertThat(policy.decide(DisconnectReason.RESTART_REQUIRED, 10, false))
                .isEqualTo(new Stop(TerminalStatus.FAILED, false, false));
    }

    @Test
    void backOffDoublesFromTheBaseUpToTheCap() {
        Duration[] expected = {Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
            Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(32), Duration.ofSeconds(64),
            Duration.ofSeconds(128), Duration.ofSeconds(256), Duration.ofMinutes(5)};

        for (int attemptsSoFar = 0; attemptsSoFar < expected.length; attemptsSoFar++) {
            assertThat(policy.cappedDelay(attemptsSoFar)).as("cap after %d attempts", attemptsSoFar)
                    .isEqualTo(expected[attemptsSoFar]);
            assertThat(policy.decide(DisconnectReason.CONNECTION_LOST, attemptsSoFar, false))
                    .isEqualTo(new ReconnectAfter(expected[attemptsSoFar], attemptsSoFar + 1));
        }
    }

    @Test
    void capHoldsForHugeAttemptCountsWithoutOverflow() {
        ReconnectPolicy patient = new ReconnectPolicy(
                new ReconnectProperties(Duration.ofSeconds(1), 2, Duration.ofMinutes(5), Integer.MAX_VALUE), HIGHEST);

        assertThat(patient.cappedDelay(63)).isEqualTo(Duration.ofMinutes(5));
        assertThat(patient.cappedDelay(10_000)).isEqualTo(Duration.ofMinutes(5));
        assertThat(patient.decide(DisconnectReason.CONNECTION_CLOSED, 100_000, false))
                .isEqualTo(new ReconnectAfter(Duration.ofMinutes(5), 100_001));
    }

    @Test
    void configuredBaseFactorAndCapShapeTheBackOff() {
        ReconnectPolicy custom = new ReconnectPolicy(
                new ReconnectProperties(Duration.ofMillis(200), 3, Duration.ofSeconds(5), 10), HIGHEST);

        assertThat(IntStream.range(0, 5).mapToObj(custom::cappedDelay)).containsExactly(Duration.ofMillis(200),
                Duration.ofMillis(600), Duration.ofMillis(1800), Duration.ofMillis(5000), Duration.ofMillis(5000));
    }

    @Test
    void factorOneMeansAConstantCap() {
        ReconnectPolicy constant = new ReconnectPolicy(
                new ReconnectProperties(Duration.ofSeconds(3), 1, Duration.ofSeconds(3), 10), HIGHEST);

        assertThat(IntStream.range(0, 10).mapToObj(constant::cappedDelay)).containsOnly(Duration.ofSeconds(3));
    }

    @Test
    void fullJitterCanDrawZero() {
        ReconnectPolicy eager = new ReconnectPolicy(ReconnectProperties.defaults(), LOWEST);

        assertThat(eager.decide(DisconnectReason.UNAVAILABLE_SERVICE, 7, false))
                .isEqualTo(new ReconnectAfter(Duration.ZERO, 8));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 5, 8, 9})
    void jitteredDelayStaysWithinZeroAndTheCap(int attemptsSoFar) {
        ReconnectPolicy seeded = new ReconnectPolicy(ReconnectProperties.defaults(), new Random(42 + attemptsSoFar));
        Duration cap = seeded.cappedDelay(attemptsSoFar);
        Duration lowest = cap;
        Duration highest = Duration.ZERO;

        for (int draw = 0; draw < 2_000; draw++) {
            ReconnectAfter after = (ReconnectAfter) seeded.decide(DisconnectReason.CONNECTION_LOST, attemptsSoFar,
                    false);
            assertThat(after.delay()).isBetween(Duration.ZERO, cap);
            assertThat(after.attempt()).isEqualTo(attemptsSoFar + 1);
            lowest = after.delay().compareTo(lowest) < 0 ? after.delay() : lowest;
            highest = after.delay().compareTo(highest) > 0 ? after.delay() : highest;
        }
        // uniform over the whole range, not clustered at the cap
        assertThat(lowest).isLessThan(cap.dividedBy(10));
        assertThat(highest).isGreaterThan(cap.multipliedBy(9).dividedBy(10));
    }

    @Test
    void sameSeedGivesTheSameDelays() {
        ReconnectPolicy one = new ReconnectPolicy(ReconnectProperties.defaults(), new Random(7));
        ReconnectPolicy two = new ReconnectPolicy(ReconnectProperties.defaults(), new Random(7));

        for (int attempts = 0; attempts < 10; attempts++) {
            assertThat(one.decide(DisconnectReason.CONNECTION_CLOSED, attempts, false))
                    .isEqualTo(two.decide(DisconnectReason.CONNECTION_CLOSED, attempts, false));
        }
    }

    @ParameterizedTest
    @EnumSource(value = DisconnectReason.class, names = {"CONNECTION_LOST", "CONNECTION_CLOSED",
        "UNAVAILABLE_SERVICE", "BAD_SESSION", "UNKNOWN"})
    void transientReasonsFailOnceTheAttemptsAreExhausted(DisconnectReason reason) {
        assertThat(policy.decide(reason, 9, false)).isEqualTo(new ReconnectAfter(Duration.ofMinutes(5), 10));
        assertThat(policy.decide(reason, 10, false)).isEqualTo(new Stop(TerminalStatus.FAILED, false, false));
        assertThat(policy.decide(reason, 11, false)).isEqualTo(new Stop(TerminalStatus.FAILED, false, false));
    }

    @Test
    void configuredMaxAttemptsIsHonoured() {
        ReconnectPolicy twice = new ReconnectPolicy(
                new ReconnectProperties(Duration.ofSeconds(1), 2, Duration.ofMinutes(5), 2), HIGHEST);

        assertThat(twice.decide(DisconnectReason.CONNECTION_LOST, 0, false)).isInstanceOf(ReconnectAfter.class);
        assertThat(twice.decide(DisconnectReason.CONNECTION_LOST, 1, false)).isInstanceOf(ReconnectAfter.class);
        assertThat(twice.decide(DisconnectReason.CONNECTION_LOST, 2, false))
                .isEqualTo(new Stop(TerminalStatus.FAILED, false, false));
    }

    @Test
    void negativeAttemptsAreRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> policy.decide(DisconnectReason.CONNECTION_LOST, -1, false));
        assertThatIllegalArgumentException().isThrownBy(() -> policy.cappedDelay(-1));
    }

    @Test
    void terminalStatusesUseTheLifecycleNames() {
        assertThat(Stream.of(TerminalStatus.values()).map(TerminalStatus::wireValue))
                .containsExactly("logged_out", "banned", "failed");
    }
}
