package dev.conversa.session.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import dev.conversa.testsupport.TestRedis;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Session leases on the real Redis: who holds them, renewal, loss and failover. */
class SessionLeasesIntegrationTest {

    /** Short, so tests see leases expire; renewed five times per TTL so a slow round on a busy machine is no loss. */
    private static final Duration TTL = Duration.ofMillis(800);
    private static final Duration RENEW = Duration.ofMillis(160);

    private static LettuceConnectionFactory connections;
    private static ReactiveStringRedisTemplate redis;

    private final List<SessionLeases> instances = new ArrayList<>();
    private SessionLeases a;
    private SessionLeases b;

    @BeforeAll
    static void connect() {
        TestRedis.Database database = TestRedis.allocate();
        RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(database.host(), database.port());
        configuration.setDatabase(database.index());
        connections = new LettuceConnectionFactory(configuration);
        connections.afterPropertiesSet();
        connections.start();
        redis = new ReactiveStringRedisTemplate(connections);
    }

    @AfterAll
    static void disconnect() {
        connections.destroy();
    }

    @BeforeEach
    void twoInstances() {
        a = instance("a", TTL, RENEW);
        b = instance("b", TTL, RENEW);
    }

    @AfterEach
    void stopInstances() {
        instances.forEach(SessionLeases::destroy);
    }

    private SessionLeases instance(String name, Duration ttl, Duration renew) {
        OwnershipProperties properties = new OwnershipProperties(name + "-" + UUID.randomUUID(), ttl, renew,
                Duration.ofSeconds(5), null, "handleCommand-in-0");
        SessionLeases leases = new SessionLeases(redis, properties);
        instances.add(leases);
        return leases;
    }

    private static String holder(UUID sessionId) {
        return redis.opsForValue().get(SessionLeases.key(sessionId)).block(Duration.ofSeconds(2));
    }

    private static long pttl(UUID sessionId) {
        return redis.getExpire(SessionLeases.key(sessionId)).map(Duration::toMillis).defaultIfEmpty(-2L)
                .block(Duration.ofSeconds(2));
    }

    @Test
    void leaseAcquiredByOneInstanceExcludesAnother() {
        UUID session = UUID.randomUUID();

        StepVerifier.create(a.acquire(session)).expectNext(true).verifyComplete();
        StepVerifier.create(b.acquire(session)).expectNext(false).verifyComplete();
        StepVerifier.create(a.acquire(session)).expectNext(true).verifyComplete();

        assertThat(holder(session)).isEqualTo(a.instanceId());
        assertThat(pttl(session)).isPositive().isLessThanOrEqualTo(TTL.toMillis());
    }

    @Test
    void acquiringAgainRefreshesTheOwnLease() {
        UUID session = UUID.randomUUID();
        a.acquire(session).block();
        redis.expire(SessionLeases.key(session), Duration.ofMillis(100)).block();

        StepVerifier.create(a.acquire(session)).expectNext(true).verifyComplete();

        assertThat(pttl(session)).isGreaterThan(100);
    }

    @Test
    void onlyTheOwnerHoldsTheLease() {
        UUID session = UUID.randomUUID();
        a.acquire(session).block();

        StepVerifier.create(a.holds(session)).expectNext(true).verifyComplete();
        StepVerifier.create(b.holds(session)).expectNext(false).verifyComplete();
        StepVerifier.create(a.holds(UUID.randomUUID())).expectNext(false).verifyComplete();
    }

    @Test
    void onlyTheOwnerCanReleaseTheLease() {
        UUID session = UUID.randomUUID();
        a.acquire(session).block();

        StepVerifier.create(b.release(session)).verifyComplete();
        assertThat(holder(session)).isEqualTo(a.instanceId());

        StepVerifier.create(a.release(session)).verifyComplete();
        assertThat(holder(session)).isNull();
        StepVerifier.create(b.acquire(session)).expectNext(true).verifyComplete();
    }

    @Test
    void keptLeaseIsRenewedAndOutlivesSeveralTtls() {
        UUID kept = UUID.randomUUID();
        UUID notKept = UUID.randomUUID();
        a.acquire(kept).block();
        a.acquire(notKept).block();
        a.keep(kept);
        a.start();

        Awaitility.await("a lease that is not kept expires")
                .atMost(Duration.ofSeconds(5))
                .until(() -> holder(notKept) == null);
        Awaitility.await("the kept lease stays ours for four TTLs")
                .during(TTL.multipliedBy(4))
                .atMost(TTL.multipliedBy(8))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> a.instanceId().equals(holder(kept)) && pttl(kept) > 0);
        assertThat(a.kept()).containsExactly(kept);
    }

    @Test
    void forgottenLeaseIsNoLongerRenewed() {
        UUID session = UUID.randomUUID();
        a.acquire(session).block();
        a.keep(session);
        a.start();
        a.forget(session);

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> holder(session) == null);
    }

    @Test
    void leaseTakenByAnotherInstanceIsReportedLostAndNoLongerRenewed() {
        UUID session = UUID.randomUUID();
        a.acquire(session).block();
        a.keep(session);
        a.start();

        StepVerifier.create(a.lost())
                .then(() -> redis.opsForValue().set(SessionLeases.key(session), "thief", Duration.ofSeconds(30)).block())
                .expectNext(session)
                .thenCancel()
                .verify(Duration.ofSeconds(5));

        assertThat(a.kept()).doesNotContain(session);
        assertThat(holder(session)).isEqualTo("thief");
        StepVerifier.create(a.holds(session)).expectNext(false).verifyComplete();
    }

    @Test
    void expiredLeaseIsReportedLost() {
        UUID session = UUID.randomUUID();
        a.acquire(session).block();
        a.keep(session);

        StepVerifier.create(a.lost())
                .then(() -> {
                    redis.delete(SessionLeases.key(session)).block();
                    a.renewKept().block();
                })
                .expectNext(session)
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void releasedLeaseIsNotReportedLost() {
        UUID released = UUID.randomUUID();
        UUID stolen = UUID.randomUUID();
        a.acquire(released).block();
        a.acquire(stolen).block();
        a.keep(released);
        a.keep(stolen);

        StepVerifier.create(a.lost())
                .then(() -> {
                    a.release(released).block();
                    redis.opsForValue().set(SessionLeases.key(stolen), "thief").block();
                    a.renewKept().block();
                })
                .expectNext(stolen)
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void renewalCoversManyBatchesAndReportsEachLostLeaseOnce() {
        SessionLeases c = instance("c", Duration.ofSeconds(30), Duration.ofSeconds(10));
        List<UUID> sessions = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            sessions.add(UUID.randomUUID());
        }
        Flux.fromIterable(sessions).flatMap(c::acquire, 64).collectList().block(Duration.ofSeconds(30));
        sessions.forEach(c::keep);
        Flux.fromIterable(sessions)
                .flatMap(session -> redis.expire(SessionLeases.key(session), Duration.ofSeconds(2)), 64)
                .then().block(Duration.ofSeconds(30));
        Set<UUID> stolen = Set.of(sessions.get(3), sessions.get(777), sessions.get(1_199));

        Set<UUID> reported = new HashSet<>();
        StepVerifier.create(c.lost())
                .then(() -> {
                    stolen.forEach(session -> redis.opsForValue().set(SessionLeases.key(session), "thief").block());
                    c.renewKept().block(Duration.ofSeconds(10));
                })
                .recordWith(() -> reported)
                .expectNextCount(3)
                .thenCancel()
                .verify(Duration.ofSeconds(10));

        assertThat(reported).isEqualTo(stolen);
        assertThat(c.kept()).hasSize(1_197).doesNotContainAnyElementsOf(stolen);
        assertThat(pttl(sessions.get(500))).isGreaterThan(Duration.ofSeconds(20).toMillis());
        assertThat(pttl(sessions.get(1_198))).isGreaterThan(Duration.ofSeconds(20).toMillis());
    }

    @Test
    void awaitAcquireWaitsForTheStaleLeaseOfADeadOwnerToExpire() {
        UUID session = UUID.randomUUID();
        // b "dies" holding the lease: nobody renews it
        b.acquire(session).block();
        assertThat(holder(session)).isEqualTo(b.instanceId());

        StepVerifier.create(a.awaitAcquire(session, Duration.ofSeconds(5)))
                .expectNext(true)
                .verifyComplete();

        assertThat(holder(session)).isEqualTo(a.instanceId());
    }

    @Test
    void awaitAcquireGivesUpWhileTheOwnerKeepsRenewing() {
        UUID session = UUID.randomUUID();
        b.acquire(session).block();
        b.keep(session);
        b.start();

        StepVerifier.create(a.awaitAcquire(session, TTL.multipliedBy(3)))
                .expectNext(false)
                .verifyComplete();

        assertThat(holder(session)).isEqualTo(b.instanceId());
    }

    @Test
    void awaitAcquireSucceedsAtOnceWhenTheLeaseIsFree() {
        UUID session = UUID.randomUUID();

        StepVerifier.create(a.awaitAcquire(session, Duration.ZERO)).expectNext(true).verifyComplete();
    }

    @Test
    void renewalStartsAndStopsWithTheApplication() {
        assertThat(a.isRunning()).isFalse();
        a.start();
        assertThat(a.isRunning()).isTrue();
        a.stop();
        assertThat(a.isRunning()).isFalse();
        assertThat(a.getPhase()).isLessThan(Integer.MAX_VALUE - 3000);
    }
}
