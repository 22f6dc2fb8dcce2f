package dev.conversa.session.sessions;

import static dev.conversa.events.session.SessionStatus.CONNECTED;
import static dev.conversa.events.session.SessionStatus.CONNECTING;
import static dev.conversa.events.session.SessionStatus.DISCONNECTED;
import static dev.conversa.events.session.SessionStatus.PENDING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.session.SessionStateChanged;
import dev.conversa.events.session.SessionStatus;
import dev.conversa.events.session.SessionTransport;
import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.RealServers;
import dev.conversa.testsupport.TestJwts;
import dev.conversa.testsupport.TopicRecords;
import dev.conversa.web.id.Uuids;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** {@link SessionLifecycle} on the real database and broker: what a transition writes, emits and refuses. */
@ConversaIntegrationTest
class SessionLifecycleIntegrationTest {

    private static final String TENANT = "t-lifecycle";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Autowired
    SessionLifecycle lifecycle;

    @Autowired
    SessionRepository repository;

    @Autowired
    RealServers servers;

    @Autowired
    WebTestClient web;

    @Test
    void transitionsPersistTheirBookkeepingAndEmitTheMatchingEvents() throws Exception {
        UUID id = newSession(SessionTransport.LINKED);

        StepVerifier.create(lifecycle.transition(id, CONNECTING))
                .assertNext(session -> assertThat(session.status()).isEqualTo(CONNECTING))
                .verifyComplete();
        Session connected = lifecycle.transition(id, CONNECTED).block(TIMEOUT);
        assertThat(connected.lastConnectedAt()).isNotNull();
        Session lost = lifecycle.transition(id, DISCONNECTED, 408, "connection lost").block(TIMEOUT);
        assertThat(lost.lastDisconnectReasonCode()).isEqualTo(408);
        assertThat(lost.lastDisconnectReason()).isEqualTo("connection lost");
        assertThat(lost.lastDisconnectAt()).isNotNull();
        assertThat(lifecycle.transition(id, CONNECTING).block(TIMEOUT).connectionAttempts()).isEqualTo(1);
        lifecycle.transition(id, DISCONNECTED, 503, "service unavailable").block(TIMEOUT);
        assertThat(lifecycle.transition(id, CONNECTING).block(TIMEOUT).connectionAttempts()).isEqualTo(2);
        Session back = lifecycle.transition(id, CONNECTED).block(TIMEOUT);

        assertThat(back.connectionAttempts()).isZero();
        assertThat(back.lastConnectedAt()).isAfter(connected.lastConnectedAt());
        assertThat(back.lastDisconnectReasonCode()).as("kept until the next disconnect").isEqualTo(503);
        Map<String, Object> row = row(id);
        assertThat(row).containsEntry("status", "connected").containsEntry("connection_attempts", 0)
                .containsEntry("last_disconnect_reason_code", 503)
                .containsEntry("last_disconnect_reason", "service unavailable")
                .containsEntry("version", 7L);
        assertThat(row.get("last_connected_at")).isNotNull();
        assertThat(row.get("last_disconnect_at")).isNotNull();

        List<ConsumerRecord<String, byte[]>> events = TopicRecords.await(Topics.WA_SESSION_EVENTS, id, 7);
        assertThat(TopicRecords.types(events)).containsExactly(EventTypes.SESSION_CONNECTING,
                EventTypes.SESSION_CONNECTED, EventTypes.SESSION_DISCONNECTED, EventTypes.SESSION_CONNECTING,
                EventTypes.SESSION_DISCONNECTED, EventTypes.SESSION_CONNECTING, EventTypes.SESSION_CONNECTED);
        List<SessionStateChanged> payloads = events.stream()
                .map(record -> TopicRecords.payload(record, SessionStateChanged.class)).toList();
        assertThat(payloads).extracting(SessionStateChanged::previousStatus).containsExactly(PENDING, CONNECTING,
                CONNECTED, DISCONNECTED, CONNECTING, DISCONNECTED, CONNECTING);
        assertThat(payloads).extracting(SessionStateChanged::attempts).containsExactly(0, 0, 0, 1, 1, 2, 0);
        assertThat(payloads.get(2).reasonCode()).isEqualTo(408);
        assertThat(payloads.get(4).reason()).isEqualTo("service unavailable");
        assertThat(payloads).allSatisfy(payload -> {
            assertThat(payload.tenantId()).isEqualTo(TENANT);
            assertThat(payload.sessionId()).isEqualTo(id);
            assertThat(payload.transport()).isEqualTo(SessionTransport.LINKED);
        });
        ConsumerRecord<String, byte[]> first = events.getFirst();
        assertThat(first.key()).isEqualTo(id.toString());
        assertThat(TopicRecords.header(first, "ce_tenantid")).isEqualTo(TENANT);
        assertThat(TopicRecords.header(first, "ce_sessionid")).isEqualTo(id.toString());
        assertThat(TopicRecords.header(first, "ce_id"))
                .isEqualTo(Uuids.named("session-state", id.toString(), "1").toString());
    }

    @Test
    void refusedTransitionWritesNothingAndEmitsNothing() throws Exception {
        UUID id = newSession(SessionTransport.CLOUD_API);

        StepVerifier.create(lifecycle.transition(id, CONNECTED))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(IllegalSessionTransitionException.class);
                    IllegalSessionTransitionException refused = (IllegalSessionTransitionException) error;
                    assertThat(refused.from()).isEqualTo(PENDING);
                    assertThat(refused.to()).isEqualTo(CONNECTED);
                })
                .verify(TIMEOUT);
        assertThat(row(id)).containsEntry("status", "pending").containsEntry("version", 0L);

        lifecycle.transition(id, CONNECTING).block(TIMEOUT);
        // same key, same partition, produced in order: a refused move would sit before this one
        assertThat(TopicRecords.types(TopicRecords.await(Topics.WA_SESSION_EVENTS, id, 1)))
                .containsExactly(EventTypes.SESSION_CONNECTING);
    }

    @Test
    void connectedSessionIsNeverMadeInactiveButOthersAreAndSayWhy() throws Exception {
        UUID live = newSession(SessionTransport.LINKED);
        lifecycle.transition(live, CONNECTING).then(lifecycle.transition(live, CONNECTED)).block(TIMEOUT);
        UUID idle = newSession(SessionTransport.LINKED);

        assertThatThrownBy(() -> lifecycle.transition(live, SessionStatus.INACTIVE).block(TIMEOUT))
                .isInstanceOf(IllegalSessionTransitionException.class);
        Session inactive = lifecycle.transition(idle, SessionStatus.INACTIVE, null, "no activity for 30 days")
                .block(TIMEOUT);

        assertThat(inactive.status()).isEqualTo(SessionStatus.INACTIVE);
        ConsumerRecord<String, byte[]> event = TopicRecords.await(Topics.WA_SESSION_EVENTS, idle, 1).getFirst();
        assertThat(TopicRecords.header(event, "ce_type")).isEqualTo(EventTypes.SESSION_INACTIVE);
        assertThat(TopicRecords.payload(event, SessionStateChanged.class).reason())
                .isEqualTo("no activity for 30 days");
        assertThat(row(live)).containsEntry("status", "connected");
    }

    @Test
    void unknownSessionIsReportedNotFound() {
        StepVerifier.create(lifecycle.transition(UUID.randomUUID(), CONNECTING))
                .expectError(SessionNotFoundException.class)
                .verify(TIMEOUT);
    }

    @Test
    void concurrentReconnectsOfOneSessionLetExactlyOneWin() throws Exception {
        UUID id = newSession(SessionTransport.LINKED);
        lifecycle.transition(id, CONNECTING).then(lifecycle.transition(id, DISCONNECTED, 428, "closed"))
                .block(TIMEOUT);

        List<Optional<Session>> outcomes = Flux.range(0, 8)
                .flatMap(i -> lifecycle.transition(id, CONNECTING)
                        .map(Optional::of)
                        .onErrorResume(IllegalSessionTransitionException.class, refused -> Mono.just(Optional.empty()))
                        .subscribeOn(Schedulers.parallel()))
                .collectList()
                .block(TIMEOUT);

        assertThat(outcomes.stream().filter(Optional::isPresent)).hasSize(1);
        assertThat(row(id)).containsEntry("status", "connecting").containsEntry("connection_attempts", 1)
                .containsEntry("version", 3L);
        assertThat(TopicRecords.types(TopicRecords.await(Topics.WA_SESSION_EVENTS, id, 3))).containsExactly(
                EventTypes.SESSION_CONNECTING, EventTypes.SESSION_DISCONNECTED, EventTypes.SESSION_CONNECTING);
    }

    @Test
    void concurrentTransitionsOnOneSessionNeverLoseAnUpdate() throws Exception {
        UUID id = newSession(SessionTransport.LINKED);
        lifecycle.transition(id, CONNECTING).then(lifecycle.transition(id, CONNECTED)).block(TIMEOUT);
        long start = 2;
        SessionStatus[] targets = {DISCONNECTED, CONNECTING, CONNECTED};

        List<Session> written = Flux.range(0, 30)
                .flatMap(i -> lifecycle.transition(id, targets[i % targets.length], 408, "flap")
                        .onErrorResume(IllegalSessionTransitionException.class, refused -> Mono.empty())
                        .subscribeOn(Schedulers.parallel()), 30)
                .collectList()
                .block(Duration.ofSeconds(60));

        // every success wrote its own version: no two writers both moved from the same state
        TreeMap<Long, SessionStatus> byVersion = new TreeMap<>();
        written.forEach(session -> assertThat(byVersion.put(session.version(), session.status()))
                .as("version %s written twice", session.version()).isNull());
        assertThat(byVersion.keySet()).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(start + 1, start + written.size()).boxed().toList());
        byVersion.put(start, CONNECTED);
        int reconnects = 0;
        SessionStatus previous = CONNECTED;
        for (Map.Entry<Long, SessionStatus> entry : byVersion.tailMap(start, false).entrySet()) {
            assertThat(SessionTransitions.allowed(previous, entry.getValue()))
                    .as("v%s: %s → %s", entry.getKey(), previous, entry.getValue()).isTrue();
            if (previous == DISCONNECTED && entry.getValue() == CONNECTING) {
                reconnects++;
            }
            if (entry.getValue() == CONNECTED) {
                reconnects = 0;
            }
            previous = entry.getValue();
        }
        Map<String, Object> row = row(id);
        assertThat(row).containsEntry("version", start + written.size())
                .containsEntry("status", previous.value())
                .containsEntry("connection_attempts", reconnects);
        assertThat(TopicRecords.await(Topics.WA_SESSION_EVENTS, id, 2 + written.size())).hasSize(2 + written.size());
    }

    @Test
    void activityCountersAddUpUnderConcurrencyWithoutTouchingTheStatus() throws Exception {
        UUID id = newSession(SessionTransport.LINKED);
        Instant before = Instant.now().minusSeconds(1);

        Flux.range(0, 20)
                .flatMap(i -> lifecycle.recordActivity(id, 1, 2).subscribeOn(Schedulers.parallel()))
                .blockLast(TIMEOUT);

        Map<String, Object> row = row(id);
        assertThat(row).containsEntry("messages_sent", 20L).containsEntry("messages_received", 40L)
                .containsEntry("status", "pending").containsEntry("version", 0L);
        assertThat(((java.sql.Timestamp) row.get("last_activity_at")).toInstant()).isAfter(before);
        StepVerifier.create(lifecycle.recordActivity(id, -1, 0)).expectError(IllegalArgumentException.class)
                .verify(TIMEOUT);
    }

    @Test
    void deviceFactsAndChatsAreStoredAndShownByTheApi() throws Exception {
        UUID id = newSession(SessionTransport.LINKED);

        lifecycle.recordDevice(id, "+5215512345678", Map.of("platform", "android", "pushName", "Ventas MX"))
                .then(lifecycle.recordChats(id, 57))
                .then(lifecycle.recordHealthCheck(id, Instant.parse("2026-11-23T10:00:00Z")))
                .block(TIMEOUT);

        web.get().uri("/api/v1/sessions/{id}", id)
                .headers(headers -> headers.setBearerAuth(TestJwts.get().token("sup", TENANT, "supervisor")))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.phoneNumber").isEqualTo("+5215512345678")
                .jsonPath("$.device.platform").isEqualTo("android")
                .jsonPath("$.device.pushName").isEqualTo("Ventas MX")
                .jsonPath("$.chats").isEqualTo(57)
                .jsonPath("$.lastHealthCheckAt").isEqualTo("2026-11-23T10:00:00Z");
    }

    private UUID newSession(SessionTransport transport) {
        UUID id = Uuids.v7();
        repository.insert(id, TENANT, "lc-" + id, transport,
                transport == SessionTransport.CLOUD_API ? "pn-" + id : null).block(TIMEOUT);
        return id;
    }

    private Map<String, Object> row(UUID id) {
        return Collections.unmodifiableMap(
                servers.database().queryRow("SELECT * FROM session.sessions WHERE id = ?", id));
    }
}
