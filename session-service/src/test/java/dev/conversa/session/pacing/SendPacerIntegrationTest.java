package dev.conversa.session.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.random.RandomGenerator;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.conversa.events.session.SessionTransport;
import dev.conversa.session.pacing.PacingProperties.Rate;
import reactor.test.StepVerifier;

/**
 * Send pacing on the real Redis. Waits are asserted on what the script answers (Redis time), with a small allowance
 * for the milliseconds that pass between two calls, never on how long a test took.
 */
class SendPacerIntegrationTest {

    /** Time that may pass between two reservations of one test (one Redis round trip each). */
    private static final Duration CALL_GAP = Duration.ofMillis(300);

    static PacingRedis redis;

    @BeforeAll
    static void connect() {
        redis = PacingRedis.connect();
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    @Test
    void burstGoesAtOnceThenEachReservationWaitsOneIntervalLonger() {
        SendPacer pacer = pacer(new Rate(1, 3, Duration.ZERO, Duration.ZERO));
        UUID session = UUID.randomUUID();

        List<Duration> waits = reserve(pacer, session, SessionTransport.LINKED, 6);

        assertThat(waits.subList(0, 3)).containsOnly(Duration.ZERO);
        assertThat(waits.get(3)).isBetween(Duration.ofSeconds(1).minus(CALL_GAP), Duration.ofSeconds(1));
        assertThat(waits.get(4)).isBetween(Duration.ofSeconds(2).minus(CALL_GAP), Duration.ofSeconds(2));
        assertThat(waits.get(5)).isBetween(Duration.ofSeconds(3).minus(CALL_GAP), Duration.ofSeconds(3));
        for (int i = 4; i < waits.size(); i++) {
            assertThat(waits.get(i).minus(waits.get(i - 1)))
                    .as("spacing of reservation %d", i)
                    .isBetween(Duration.ofSeconds(1).minus(CALL_GAP), Duration.ofSeconds(1));
        }
    }

    @Test
    void twoSessionsDoNotShareABucket() {
        SendPacer pacer = pacer(new Rate(1, 1, Duration.ZERO, Duration.ZERO));
        UUID busy = UUID.randomUUID();
        UUID quiet = UUID.randomUUID();

        List<Duration> busyWaits = reserve(pacer, busy, SessionTransport.LINKED, 2);
        Duration quietWait = pacer.reserve(quiet, SessionTransport.LINKED).block();

        assertThat(busyWaits.get(1)).isGreaterThan(Duration.ofMillis(500));
        assertThat(quietWait).isZero();
    }

    @Test
    void twoInstancesKeepOnePaceForTheSameSession() {
        Rate rate = new Rate(1, 1, Duration.ZERO, Duration.ZERO);
        UUID session = UUID.randomUUID();
        try (PacingRedis otherInstance = PacingRedis.connect()) {
            SendPacer here = pacer(rate);
            SendPacer there = new SendPacer(otherInstance.template(),
                    new PacingProperties(rate, rate, Duration.ZERO));

            Duration first = here.reserve(session, SessionTransport.LINKED).block();
            Duration second = there.reserve(session, SessionTransport.LINKED).block();

            assertThat(first).isZero();
            assertThat(second).isBetween(Duration.ofSeconds(1).minus(CALL_GAP), Duration.ofSeconds(1));
        }
    }

    @Test
    void jitterStaysWithinItsBoundsAndVaries() {
        SendPacer pacer = pacer(new Rate(100_000, 100_000, Duration.ofMillis(50), Duration.ofMillis(150)));
        UUID session = UUID.randomUUID();

        List<Duration> waits = reserve(pacer, session, SessionTransport.LINKED, 50);

        assertThat(waits).allSatisfy(wait -> assertThat(wait)
                .isBetween(Duration.ofMillis(50), Duration.ofMillis(150)));
        assertThat(waits.stream().distinct().count()).isGreaterThan(1);
    }

    @Test
    void jitterIsAddedOnTopOfTheSlot() {
        RandomGenerator alwaysMax = new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public long nextLong(long origin, long bound) {
                return bound - 1;
            }
        };
        Rate rate = new Rate(1, 1, Duration.ofMillis(200), Duration.ofMillis(300));
        SendPacer pacer = new SendPacer(redis.template(), new PacingProperties(rate, rate, Duration.ZERO),
                Duration.ofSeconds(2), alwaysMax);
        UUID session = UUID.randomUUID();

        List<Duration> waits = reserve(pacer, session, SessionTransport.CLOUD_API, 2);

        assertThat(waits.get(0)).isEqualTo(Duration.ofMillis(300));
        assertThat(waits.get(1)).isBetween(Duration.ofMillis(1300).minus(CALL_GAP), Duration.ofMillis(1300));
    }

    @Test
    void linkedDefaultsAllowThreeAtOnceThenOneEveryTwoSecondsWithJitter() {
        SendPacer pacer = new SendPacer(redis.template(), PacingProperties.defaults());
        UUID session = UUID.randomUUID();

        List<Duration> waits = reserve(pacer, session, SessionTransport.LINKED, 4);

        assertThat(waits.subList(0, 3)).allSatisfy(wait -> assertThat(wait)
                .isBetween(Duration.ofMillis(500), Duration.ofSeconds(2)));
        assertThat(waits.get(3)).isBetween(Duration.ofMillis(2500).minus(CALL_GAP), Duration.ofSeconds(4));
    }

    @Test
    void cloudApiDefaultsHaveNoJitterAndAnEightyMessageBurst() {
        SendPacer pacer = new SendPacer(redis.template(), PacingProperties.defaults());
        UUID session = UUID.randomUUID();

        List<Duration> waits = reserve(pacer, session, SessionTransport.CLOUD_API, 80);

        assertThat(waits).containsOnly(Duration.ZERO);
    }

    @Test
    void idleKeyExpiresAndTheSessionStartsWithAFullBurstAgain() {
        SendPacer pacer = pacer(new Rate(20, 1, Duration.ZERO, Duration.ZERO));
        UUID session = UUID.randomUUID();
        String key = SendPacer.key(session);

        reserve(pacer, session, SessionTransport.LINKED, 2);

        Duration ttl = redis.template().getExpire(key).block();
        assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofMillis(SendPacer.IDLE_GRACE_MILLIS + 200));
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> Boolean.FALSE.equals(redis.template().hasKey(key).block()));
        assertThat(pacer.reserve(session, SessionTransport.LINKED).block()).isZero();
    }

    @Test
    void awaitSlotCompletesAfterTheReservedWait() {
        SendPacer pacer = pacer(new Rate(2, 1, Duration.ZERO, Duration.ZERO));
        UUID session = UUID.randomUUID();

        StepVerifier.create(pacer.awaitSlot(session, SessionTransport.LINKED)).verifyComplete();
        long started = System.nanoTime();
        StepVerifier.create(pacer.awaitSlot(session, SessionTransport.LINKED)).verifyComplete();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(200));
    }

    @Test
    void unreachableRedisIsAnErrorNotAFreeSlot() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (PacingRedis nowhere = PacingRedis.connect("127.0.0.1", closedPort)) {
            SendPacer pacer = new SendPacer(nowhere.template(), PacingProperties.defaults(), Duration.ofMillis(500),
                    RandomGenerator.getDefault());

            StepVerifier.create(pacer.reserve(UUID.randomUUID(), SessionTransport.LINKED))
                    .expectError()
                    .verify(Duration.ofSeconds(5));
        }
    }

    private static SendPacer pacer(Rate rate) {
        return new SendPacer(redis.template(), new PacingProperties(rate, rate, Duration.ZERO));
    }

    private static List<Duration> reserve(SendPacer pacer, UUID session, SessionTransport transport, int count) {
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            waits.add(pacer.reserve(session, transport).block(Duration.ofSeconds(5)));
        }
        return waits;
    }
}
