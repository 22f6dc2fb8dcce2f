package dev.conversa.session.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.session.SessionStateChanged;
import dev.conversa.events.session.SessionStatus;
import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.RealServers;
import dev.conversa.testsupport.TestJwts;
import dev.conversa.testsupport.TopicRecords;

/**
 * The cleanup of idle sessions, by request and by schedule, on the real database: timestamps are set with JDBC to
 * make sessions look old. The schedule itself is off here; the tests call the scheduled round directly.
 */
@ConversaIntegrationTest
@TestPropertySource(properties = {"conversa.session.cleanup.cron=-", "conversa.session.cleanup.inactive-days=30"})
class InactiveSessionCleanupIntegrationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Autowired
    WebTestClient web;

    @Autowired
    RealServers servers;

    @Autowired
    InactiveSessionCleanup cleanup;

    @Test
    void cleanupMarksOnlyTheCallersIdleSessionsThatAreNotConnected() throws Exception {
        String tenant = "t-cleanup";
        UUID neverUsed = create(tenant, "never-used");
        UUID quietLately = create(tenant, "quiet-lately");
        UUID recentlyActive = create(tenant, "recently-active");
        UUID connectedButQuiet = create(tenant, "connected-but-quiet");
        UUID recentlyConnected = create(tenant, "recently-connected");
        UUID alreadyInactive = create(tenant, "already-inactive");
        UUID otherTenant = create("t-cleanup-other", "idle-elsewhere");
        age(neverUsed, "disconnected", 40, null, null);
        age(quietLately, "failed", 90, 31, null);
        age(recentlyActive, "disconnected", 90, 10, null);
        age(connectedButQuiet, "connected", 90, 60, 60);
        age(recentlyConnected, "logged_out", 90, 60, 2);
        age(alreadyInactive, "inactive", 90, null, null);
        age(otherTenant, "disconnected", 90, null, null);

        web.post().uri("/api/v1/sessions/cleanup-inactive?days=30").headers(admin(tenant)).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.days").isEqualTo(30).jsonPath("$.markedInactive").isEqualTo(2);

        assertThat(status(neverUsed)).isEqualTo("inactive");
        assertThat(status(quietLately)).isEqualTo("inactive");
        assertThat(status(recentlyActive)).isEqualTo("disconnected");
        assertThat(status(connectedButQuiet)).isEqualTo("connected");
        assertThat(status(recentlyConnected)).isEqualTo("logged_out");
        assertThat(status(alreadyInactive)).isEqualTo("inactive");
        assertThat(status(otherTenant)).isEqualTo("disconnected");

        ConsumerRecord<String, byte[]> event = TopicRecords.await(Topics.WA_SESSION_EVENTS, quietLately, 2).get(1);
        assertThat(TopicRecords.header(event, "ce_type")).isEqualTo(EventTypes.SESSION_INACTIVE);
        SessionStateChanged payload = TopicRecords.payload(event, SessionStateChanged.class);
        assertThat(payload.status()).isEqualTo(SessionStatus.INACTIVE);
        assertThat(payload.previousStatus()).isEqualTo(SessionStatus.FAILED);
        assertThat(payload.reason()).isEqualTo("no activity for 30 days");

        web.post().uri("/api/v1/sessions/cleanup-inactive?days=5").headers(admin(tenant)).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.markedInactive").isEqualTo(1);
        assertThat(status(recentlyActive)).isEqualTo("inactive");
        web.post().uri("/api/v1/sessions/cleanup-inactive?days=0").headers(admin(tenant)).exchange()
                .expectStatus().isBadRequest();
        web.post().uri("/api/v1/sessions/cleanup-inactive").headers(supervisor(tenant)).exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void scheduledRoundSkipsWhileAnotherInstanceHoldsTheLockAndRunsOnceItIsFree() throws Exception {
        cleanup.runExclusively().block(TIMEOUT); // what other tests of this class left idle, in every tenant
        UUID idle = create("t-scheduled", "idle");
        age(idle, "disconnected", 45, null, null);
        insertIdempotencyKey("t-scheduled", "stale-key", idle, 2);

        try (Connection otherInstance = servers.database().connect()) {
            otherInstance.setAutoCommit(false);
            try (Statement lock = otherInstance.createStatement()) {
                lock.execute("SELECT pg_advisory_xact_lock(" + InactiveSessionCleanup.LOCK_KEY + ")");
            }
            assertThat(cleanup.runExclusively().block(TIMEOUT)).isEmpty();
            assertThat(status(idle)).isEqualTo("disconnected");
            otherInstance.rollback();
        }

        assertThat(cleanup.runExclusively().block(TIMEOUT)).isEqualTo(Optional.of(1L));
        assertThat(status(idle)).isEqualTo("inactive");
        assertThat(count("SELECT count(*) FROM session.idempotency_keys WHERE session_id = ?", idle)).isZero();
        assertThat(cleanup.runExclusively().block(TIMEOUT)).as("nothing left to do").isEqualTo(Optional.of(0L));
        assertThat(count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                + "(SELECT oid FROM pg_database WHERE datname = current_database())", null))
                .as("the lock is released after the round").isZero();
    }

    @Test
    void concurrentRoundsOfTwoInstancesMarkEachSessionOnce() throws Exception {
        cleanup.runExclusively().block(TIMEOUT); // what other tests of this class left idle, in every tenant
        UUID first = create("t-race", "a");
        UUID second = create("t-race", "b");
        age(first, "disconnected", 45, null, null);
        age(second, "pending", 45, null, null);

        var rounds = reactor.core.publisher.Flux.range(0, 3)
                .flatMap(i -> cleanup.runExclusively()
                        .subscribeOn(reactor.core.scheduler.Schedulers.parallel()))
                .collectList()
                .block(TIMEOUT);

        long marked = rounds.stream().flatMap(Optional::stream).mapToLong(Long::longValue).sum();
        assertThat(marked).isEqualTo(2);
        assertThat(status(first)).isEqualTo("inactive");
        assertThat(status(second)).isEqualTo("inactive");
        assertThat(TopicRecords.types(TopicRecords.await(Topics.WA_SESSION_EVENTS, first, 2)))
                .containsExactly(EventTypes.SESSION_CREATED, EventTypes.SESSION_INACTIVE);
    }

    private UUID create(String tenant, String name) {
        Map<?, ?> body = web.post().uri("/api/v1/sessions").headers(admin(tenant))
                .bodyValue(Map.of("name", name, "transport", "linked"))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        return UUID.fromString((String) body.get("id"));
    }

    /** Makes a session look {@code createdDaysAgo} old, last active and last connected so many days ago (or never). */
    private void age(UUID id, String status, int createdDaysAgo, Integer activeDaysAgo, Integer connectedDaysAgo) {
        assertThat(servers.database().update("""
                UPDATE session.sessions SET status = ?, created_at = now() - make_interval(days => ?),
                       last_activity_at = now() - make_interval(days => ?),
                       last_connected_at = now() - make_interval(days => ?)
                 WHERE id = ?""", status, createdDaysAgo, activeDaysAgo, connectedDaysAgo, id)).isEqualTo(1);
    }

    private void insertIdempotencyKey(String tenant, String key, UUID session, int daysAgo) {
        servers.database().update("""
                INSERT INTO session.idempotency_keys (tenant_id, idempotency_key, fingerprint, session_id, created_at)
                VALUES (?, ?, 'x', ?, now() - make_interval(days => ?))""", tenant, key, session, daysAgo);
    }

    private String status(UUID id) {
        return servers.database().queryString("SELECT status FROM session.sessions WHERE id = ?", id);
    }

    private long count(String sql, Object parameter) {
        return parameter == null ? servers.database().queryLong(sql) : servers.database().queryLong(sql, parameter);
    }

    private static java.util.function.Consumer<org.springframework.http.HttpHeaders> admin(String tenant) {
        String token = TestJwts.get().token("admin-" + tenant, tenant, "admin");
        return headers -> headers.setBearerAuth(token);
    }

    private static java.util.function.Consumer<org.springframework.http.HttpHeaders> supervisor(String tenant) {
        String token = TestJwts.get().token("sup-" + tenant, tenant, "supervisor");
        return headers -> headers.setBearerAuth(token);
    }
}
