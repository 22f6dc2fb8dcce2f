package dev.conversa.session.qr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import dev.conversa.testsupport.ConversaIntegrationTest;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The current QR of a session in the real Redis: what is stored, for whom, and for how long. */
@ConversaIntegrationTest
class QrCodesIntegrationTest {

    @Autowired
    QrCodes codes;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Autowired
    JsonMapper json;

    @Test
    void storedRefIsTheCurrentQrOfItsTenant() {
        UUID session = UUID.randomUUID();
        Instant expiresAt = Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.MILLIS);

        StepVerifier.create(codes.store(session, "tenant-a", "2@first", 1, expiresAt)).verifyComplete();

        StepVerifier.create(codes.current(session, "tenant-a"))
                .expectNext(new CurrentQr(session, "tenant-a", "2@first", 1, expiresAt))
                .verifyComplete();
    }

    @Test
    void redisHoldsTheRefAsJsonUnderTheSessionKeyWithATtlUntilExpiry() {
        UUID session = UUID.randomUUID();
        Instant expiresAt = Instant.now().plusSeconds(20);

        codes.store(session, "tenant-a", "2@json", 3, expiresAt).block();

        String key = "session:qr:" + session;
        JsonNode value = json.readTree(redis.opsForValue().get(key).block());
        assertThat(value.get("tenantId").asString()).isEqualTo("tenant-a");
        assertThat(value.get("ref").asString()).isEqualTo("2@json");
        assertThat(value.get("attempt").asInt()).isEqualTo(3);
        assertThat(Instant.parse(value.get("expiresAt").asString())).isEqualTo(expiresAt);
        Duration ttl = redis.getExpire(key).block();
        assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(20));
        assertThat(ttl).isGreaterThan(Duration.ofSeconds(15));
    }

    @Test
    void aNewerRefReplacesThePreviousOne() {
        UUID session = UUID.randomUUID();
        Instant now = Instant.now();

        codes.store(session, "tenant-a", "2@one", 1, now.plusSeconds(60)).block();
        codes.store(session, "tenant-a", "2@two", 2, now.plusSeconds(80)).block();

        StepVerifier.create(codes.current(session, "tenant-a").map(CurrentQr::ref)).expectNext("2@two")
                .verifyComplete();
    }

    @Test
    void anotherTenantSeesNoQr() {
        UUID session = UUID.randomUUID();
        codes.store(session, "tenant-a", "2@mine", 1, Instant.now().plusSeconds(60)).block();

        StepVerifier.create(codes.current(session, "tenant-b")).verifyComplete();
        StepVerifier.create(codes.current(session, "tenant-a").map(CurrentQr::ref)).expectNext("2@mine")
                .verifyComplete();
    }

    @Test
    void sessionWithoutQrHasNone() {
        StepVerifier.create(codes.current(UUID.randomUUID(), "tenant-a")).verifyComplete();
    }

    @Test
    void qrDisappearsWhenItExpires() {
        UUID session = UUID.randomUUID();
        codes.store(session, "tenant-a", "2@short", 6, Instant.now().plusMillis(400)).block();

        StepVerifier.create(codes.current(session, "tenant-a").map(CurrentQr::ref)).expectNext("2@short")
                .verifyComplete();
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> codes.current(session, "tenant-a").blockOptional().isEmpty());
        // Redis counts the TTL from when the SET arrived, so the key may outlive expiresAt by the write's latency
        Awaitility.await("Redis drops the key").atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> Boolean.FALSE.equals(redis.hasKey(QrCodes.key(session)).block()));
    }

    @Test
    void qrPastItsExpiryIsNotShownEvenBeforeRedisDropsIt() {
        UUID session = UUID.randomUUID();
        Instant expiresAt = Instant.now().plusSeconds(60);
        codes.store(session, "tenant-a", "2@late", 1, expiresAt).block();
        QrCodes later = new QrCodes(redis, json, Clock.fixed(expiresAt.plusMillis(1), ZoneOffset.UTC));

        StepVerifier.create(later.current(session, "tenant-a")).verifyComplete();
    }

    @Test
    void storingAnAlreadyExpiredRefRemovesTheCurrentOne() {
        UUID session = UUID.randomUUID();
        codes.store(session, "tenant-a", "2@valid", 1, Instant.now().plusSeconds(60)).block();

        StepVerifier.create(codes.store(session, "tenant-a", "2@stale", 2, Instant.now().minusSeconds(1)))
                .verifyComplete();

        StepVerifier.create(codes.current(session, "tenant-a")).verifyComplete();
        assertThat(redis.hasKey(QrCodes.key(session)).block()).isFalse();
    }

    @Test
    void clearAfterPairingLeavesNoQr() {
        UUID session = UUID.randomUUID();
        codes.store(session, "tenant-a", "2@paired", 2, Instant.now().plusSeconds(60)).block();

        StepVerifier.create(codes.clear(session)).verifyComplete();

        StepVerifier.create(codes.current(session, "tenant-a")).verifyComplete();
        StepVerifier.create(codes.clear(session)).as("clearing twice is harmless").verifyComplete();
    }

    @Test
    void unreadableEntryCountsAsNoQr() {
        UUID session = UUID.randomUUID();
        redis.opsForValue().set(QrCodes.key(session), "not json", Duration.ofSeconds(30)).block();

        StepVerifier.create(codes.current(session, "tenant-a")).verifyComplete();
        codes.store(session, "tenant-a", "2@fresh", 1, Instant.now().plusSeconds(30)).block();
        StepVerifier.create(codes.current(session, "tenant-a").map(CurrentQr::ref)).expectNext("2@fresh")
                .verifyComplete();
    }
}
