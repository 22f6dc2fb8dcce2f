package dev.conversa.session.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.command.PairingCodeRequested;
import dev.conversa.events.command.SessionCommand;
import dev.conversa.events.session.SessionStateChanged;
import dev.conversa.events.session.SessionStatus;
import dev.conversa.events.session.SessionTransport;
import dev.conversa.session.authstate.AuthStateStore;
import dev.conversa.session.qr.QrCodes;
import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.RealServers;
import dev.conversa.testsupport.TestJwts;
import dev.conversa.testsupport.TopicRecords;
import reactor.core.publisher.Flux;

/** The sessions API on the real servers: PostgreSQL, Redis, the KRaft broker and signed tokens. */
@ConversaIntegrationTest
class SessionsApiIntegrationTest {

    private static final String ACCESS_TOKEN = "EAAG-ACCESS-TOKEN-MARKER-9f8e7d";
    private static final String APP_SECRET = "app-secret-MARKER-1a2b3c";
    private static final String VERIFY_TOKEN = "verify-token-MARKER-xyz";
    private static final AtomicInteger NUMBER_IDS = new AtomicInteger(106540352);

    @Autowired
    WebTestClient web;

    @Autowired
    RealServers servers;

    @Autowired
    CloudApiCredentialsStore credentialsStore;

    @Autowired
    AuthStateStore authState;

    @Autowired
    QrCodes qrCodes;

    @Autowired
    SessionStatusGauges statusGauges;

    @Autowired
    MeterRegistry meters;

    // creation

    @Test
    void createdLinkedSessionIsPendingAtItsLocationAndAnnouncedAsCreated() {
        EntityExchangeResult<Map> result = web.post().uri("/api/v1/sessions")
                .headers(admin("t-create"))
                .bodyValue(Map.of("name", "Ventas", "transport", "linked"))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult();
        Map<?, ?> body = result.getResponseBody();
        UUID id = UUID.fromString((String) body.get("id"));

        assertThat(result.getResponseHeaders().getLocation()).hasToString("/api/v1/sessions/" + id);
        assertThat(body.get("name")).isEqualTo("Ventas");
        assertThat(body.get("transport")).isEqualTo("linked");
        assertThat(body.get("status")).isEqualTo("pending");
        assertThat(body.get("connectionAttempts")).isEqualTo(0);
        assertThat(body.get("cloudApi")).isNull();
        web.get().uri("/api/v1/sessions/{id}", id).headers(supervisor("t-create")).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.id").isEqualTo(id.toString()).jsonPath("$.status").isEqualTo("pending");

        ConsumerRecord<String, byte[]> created = TopicRecords.await(Topics.WA_SESSION_EVENTS, id, 1).getFirst();
        assertThat(TopicRecords.header(created, "ce_type")).isEqualTo(EventTypes.SESSION_CREATED);
        assertThat(TopicRecords.header(created, "ce_tenantid")).isEqualTo("t-create");
        assertThat(TopicRecords.header(created, "ce_sessionid")).isEqualTo(id.toString());
        SessionStateChanged payload = TopicRecords.payload(created, SessionStateChanged.class);
        assertThat(payload.status()).isEqualTo(SessionStatus.PENDING);
        assertThat(payload.previousStatus()).isNull();
        assertThat(payload.transport()).isEqualTo(SessionTransport.LINKED);
    }

    @Test
    void cloudApiCredentialsAreReadableOnlyThroughTheEncryptedAuthState() throws Exception {
        String phoneNumberId = nextPhoneNumberId();
        String createBody = web.post().uri("/api/v1/sessions")
                .headers(admin("t-cloud"))
                .bodyValue(cloudApi("Soporte", phoneNumberId))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody();
        UUID id = UUID.fromString(json(createBody).get("id").toString());
        String getBody = web.get().uri("/api/v1/sessions/{id}", id).headers(admin("t-cloud")).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        String listBody = web.get().uri("/api/v1/sessions").headers(admin("t-cloud")).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();

        for (String body : List.of(createBody, getBody, listBody)) {
            assertThat(body).contains(phoneNumberId, "cloud-api")
                    .doesNotContain(ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN);
        }
        assertThat(json(getBody).get("cloudApi")).isEqualTo(Map.of("phoneNumberId", phoneNumberId));
        assertThat(rowText("SELECT s::text FROM session.sessions s WHERE id = ?", id))
                .contains(phoneNumberId).doesNotContain(ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN);
        assertThat(rowText("SELECT a::text FROM session.auth_state a WHERE session_id = ?", id))
                .doesNotContain(ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN);

        CloudApiCredentials stored = credentialsStore.load(id).block(Duration.ofSeconds(10));
        assertThat(stored).isEqualTo(new CloudApiCredentials(ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN));
        assertThat(stored.toString()).doesNotContain(ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN);
        assertThat(new String(TopicRecords.await(Topics.WA_SESSION_EVENTS, id, 1).getFirst().value(),
                StandardCharsets.UTF_8)).doesNotContain(ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN);
    }

    @Test
    void nameIsUniqueWithinATenantOnly() {
        create("t-dup-a", "Cobranza");

        web.post().uri("/api/v1/sessions").headers(admin("t-dup-a"))
                .bodyValue(Map.of("name", "Cobranza", "transport", "linked"))
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://conversa.dev/problems/conflict");
        create("t-dup-b", "Cobranza");
    }

    @Test
    void cloudApiPhoneNumberIdBelongsToOneSessionOnly() {
        String phoneNumberId = nextPhoneNumberId();
        web.post().uri("/api/v1/sessions").headers(admin("t-number")).bodyValue(cloudApi("Uno", phoneNumberId))
                .exchange().expectStatus().isCreated();

        web.post().uri("/api/v1/sessions").headers(admin("t-number")).bodyValue(cloudApi("Dos", phoneNumberId))
                .exchange().expectStatus().isEqualTo(HttpStatus.CONFLICT);
        web.post().uri("/api/v1/sessions").headers(admin("t-number-other")).bodyValue(cloudApi("Tres", phoneNumberId))
                .exchange().expectStatus().isEqualTo(HttpStatus.CONFLICT);
    }

    @Test
    void unknownTransportOrMissingOrMisplacedCloudApiBlockIsABadRequest() throws Exception {
        for (Map<String, Object> body : List.of(
                Map.<String, Object>of("name", "x1", "transport", "baileys"),
                Map.<String, Object>of("name", "x2", "transport", "cloud-api"),
                Map.<String, Object>of("name", "x3", "transport", "linked", "cloudApi", Map.of("phoneNumberId", "1",
                        "accessToken", "a", "appSecret", "b", "verifyToken", "c")),
                Map.<String, Object>of("name", "x4", "transport", "cloud-api", "cloudApi", Map.of("phoneNumberId",
                        "1", "accessToken", "", "appSecret", "b", "verifyToken", "c")),
                Map.<String, Object>of("name", " ", "transport", "linked"),
                Map.<String, Object>of("transport", "linked"))) {
            web.post().uri("/api/v1/sessions").headers(admin("t-bad")).bodyValue(body)
                    .exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.status").isEqualTo(400);
        }
        assertThat(count("SELECT count(*) FROM session.sessions WHERE tenant_id = ?", "t-bad")).isZero();
    }

    @Test
    void onlyAdminsChangeSessionsAndSupervisorsMayRead() throws Exception {
        UUID id = create("t-roles", "Roles");
        var body = Map.of("name", "Nope", "transport", "linked");

        web.post().uri("/api/v1/sessions").headers(as("t-roles", "agent")).bodyValue(body).exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("https://conversa.dev/problems/forbidden");
        web.post().uri("/api/v1/sessions").headers(supervisor("t-roles")).bodyValue(body).exchange()
                .expectStatus().isForbidden();
        web.get().uri("/api/v1/sessions/{id}", id).headers(as("t-roles", "agent")).exchange()
                .expectStatus().isForbidden();
        web.delete().uri("/api/v1/sessions/{id}", id).headers(supervisor("t-roles")).exchange()
                .expectStatus().isForbidden();
        web.get().uri("/api/v1/sessions/{id}", id).headers(supervisor("t-roles")).exchange()
                .expectStatus().isOk();
        web.get().uri("/api/v1/sessions/stats").headers(supervisor("t-roles")).exchange().expectStatus().isOk();
        assertThat(count("SELECT count(*) FROM session.sessions WHERE tenant_id = ?", "t-roles")).isEqualTo(1);
    }

    @Test
    void anotherTenantsSessionIsNotFoundForEveryOperation() throws Exception {
        UUID id = create("t-owner", "Privada");
        var intruder = admin("t-intruder");

        web.get().uri("/api/v1/sessions/{id}", id).headers(intruder).exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("https://conversa.dev/problems/not-found");
        web.delete().uri("/api/v1/sessions/{id}", id).headers(intruder).exchange().expectStatus().isNotFound();
        web.post().uri("/api/v1/sessions/{id}/logout", id).headers(intruder).exchange().expectStatus().isNotFound();
        web.post().uri("/api/v1/sessions/{id}/restart", id).headers(intruder).exchange().expectStatus().isNotFound();
        web.post().uri("/api/v1/sessions/{id}/reset-attempts", id).headers(intruder).exchange()
                .expectStatus().isNotFound();
        web.post().uri("/api/v1/sessions/{id}/pairing-code", id).headers(intruder)
                .bodyValue(Map.of("phoneNumber", "+5215512345678")).exchange().expectStatus().isNotFound();
        assertThat(web.get().uri("/api/v1/sessions").headers(intruder).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody()).doesNotContain(id.toString());

        assertThat(count("SELECT count(*) FROM session.sessions WHERE id = ?", id)).isEqualTo(1);
        // the owner's own command is the first record keyed by this session: the intruder's produced none
        web.post().uri("/api/v1/sessions/{id}/restart", id).headers(admin("t-owner")).exchange()
                .expectStatus().isAccepted();
        // creating the session started it (a restart of a session that is not open starts it)
        assertThat(TopicRecords.types(TopicRecords.await(Topics.WA_COMMANDS, id, 2)))
                .containsExactly(EventTypes.SESSION_RESTART_REQUESTED, EventTypes.SESSION_RESTART_REQUESTED);
    }

    // listing

    @Test
    void listPagesNewestFirstAndFiltersByStatus() throws Exception {
        String tenant = "t-list";
        UUID first = create(tenant, "L1");
        UUID second = create(tenant, "L2");
        UUID third = create(tenant, "L3");
        UUID fourth = create(tenant, "L4");
        UUID fifth = create(tenant, "L5");
        setStatus(second, "connected");
        setStatus(fourth, "connected");
        setStatus(fifth, "failed");

        assertThat(page(tenant, "page=0&size=2")).isEqualTo(new Listed(List.of(fifth, fourth), 0, 2, 5));
        assertThat(page(tenant, "page=1&size=2")).isEqualTo(new Listed(List.of(third, second), 1, 2, 5));
        assertThat(page(tenant, "page=2&size=2")).isEqualTo(new Listed(List.of(first), 2, 2, 5));
        assertThat(page(tenant, "page=3&size=2")).isEqualTo(new Listed(List.of(), 3, 2, 5));
        assertThat(page(tenant, "status=connected")).isEqualTo(new Listed(List.of(fourth, second), 0, 20, 2));
        assertThat(page(tenant, "status=connected,failed&size=2"))
                .isEqualTo(new Listed(List.of(fifth, fourth), 0, 2, 3));
        assertThat(page(tenant, "status=pending&status=failed").ids()).containsExactly(fifth, third, first);

        for (String bad : List.of("size=101", "size=0", "page=-1", "status=online")) {
            web.get().uri("/api/v1/sessions?" + bad).headers(admin(tenant)).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
    }

    @Test
    void statsCountEveryStatusWithZerosAndTotalMessages() throws Exception {
        String tenant = "t-stats";
        UUID a = create(tenant, "S1");
        UUID b = create(tenant, "S2");
        create(tenant, "S3");
        setStatus(a, "connected");
        execute("UPDATE session.sessions SET messages_sent = 12, messages_received = 30 WHERE id = ?", a);
        execute("UPDATE session.sessions SET messages_sent = 3, messages_received = 4, status = 'banned' WHERE id = ?",
                b);
        create("t-stats-other", "S1");

        Map<?, ?> stats = web.get().uri("/api/v1/sessions/stats").headers(supervisor(tenant)).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();

        @SuppressWarnings("unchecked")
        Map<String, Object> byStatus = (Map<String, Object>) stats.get("byStatus");
        assertThat(byStatus.keySet()).containsExactly("pending", "qr_ready", "connecting", "connected",
                "disconnected", "logged_out", "banned", "failed", "inactive");
        assertThat(byStatus.get("pending")).isEqualTo(1);
        assertThat(byStatus.get("connected")).isEqualTo(1);
        assertThat(byStatus.get("banned")).isEqualTo(1);
        assertThat(byStatus.get("failed")).isEqualTo(0);
        assertThat(byStatus.get("qr_ready")).isEqualTo(0);
        assertThat(stats.get("total")).isEqualTo(3);
        assertThat(stats.get("messagesSent")).isEqualTo(15);
        assertThat(stats.get("messagesReceived")).isEqualTo(34);

        Map<?, ?> empty = web.get().uri("/api/v1/sessions/stats").headers(admin("t-stats-nobody")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        List<Object> counts = List.copyOf(((Map<?, ?>) empty.get("byStatus")).values());
        assertThat(counts).hasSize(9).containsOnly(0);
        assertThat(empty.get("total")).isEqualTo(0);

        // the per-status gauges count every tenant's sessions (terminal statuses: nothing moves them meanwhile)
        statusGauges.refresh().block(Duration.ofSeconds(10));
        for (String status : List.of("banned", "failed")) {
            assertThat(meters.get("conversa.sessions").tag("status", status).gauge().value())
                    .as(status).isEqualTo((double) servers.database().queryLong(
                            "SELECT count(*) FROM session.sessions WHERE status = ?", status));
        }
        assertThat(meters.get("conversa.sessions").tag("status", "banned").gauge().value()).isPositive();
    }

    @Test
    void problematicListsSessionsWithManyAttemptsAndFailedOrBannedOnes() throws Exception {
        String tenant = "t-problems";
        UUID flapping = create(tenant, "P1");
        UUID failed = create(tenant, "P2");
        UUID banned = create(tenant, "P3");
        UUID fine = create(tenant, "P4");
        UUID twoAttempts = create(tenant, "P5");
        execute("UPDATE session.sessions SET connection_attempts = 5, status = 'disconnected' WHERE id = ?", flapping);
        execute("UPDATE session.sessions SET status = 'failed', connection_attempts = 1 WHERE id = ?", failed);
        execute("UPDATE session.sessions SET status = 'banned' WHERE id = ?", banned);
        execute("UPDATE session.sessions SET connection_attempts = 2 WHERE id = ?", twoAttempts);
        setStatus(fine, "connected");

        Listed problems = list(tenant, "/api/v1/sessions/problematic");
        assertThat(problems.ids()).containsExactly(flapping, failed, banned);
        assertThat(problems.total()).isEqualTo(3);
        assertThat(list(tenant, "/api/v1/sessions/problematic?minAttempts=2").ids())
                .containsExactly(flapping, twoAttempts, failed, banned);
        assertThat(list(tenant, "/api/v1/sessions/problematic?minAttempts=2&size=1&page=1"))
                .isEqualTo(new Listed(List.of(twoAttempts), 1, 1, 4));
        web.get().uri("/api/v1/sessions/problematic?minAttempts=0").headers(admin(tenant)).exchange()
                .expectStatus().isBadRequest();
    }

    @Test
    void resetAttemptsSetsTheCounterToZero() throws Exception {
        UUID id = create("t-reset", "R1");
        execute("UPDATE session.sessions SET connection_attempts = 7, status = 'failed' WHERE id = ?", id);

        web.post().uri("/api/v1/sessions/{id}/reset-attempts", id).headers(admin("t-reset")).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.id").isEqualTo(id.toString())
                .jsonPath("$.connectionAttempts").isEqualTo(0)
                .jsonPath("$.status").isEqualTo("failed");
        assertThat(count("SELECT connection_attempts FROM session.sessions WHERE id = ?", id)).isZero();
    }

    // delete and commands

    @Test
    void deleteLogsOutWipesAuthStateRemovesTheRowAndAnnouncesIt() throws Exception {
        String tenant = "t-delete";
        UUID id = cloudSession(tenant, "Borrar");
        assertThat(count("SELECT count(*) FROM session.auth_state WHERE session_id = ?", id)).isEqualTo(1);
        qrCodes.store(id, tenant, "2@ref-to-forget", 1, java.time.Instant.now().plusSeconds(60))
                .block(Duration.ofSeconds(5));

        web.delete().uri("/api/v1/sessions/{id}", id).headers(as(tenant, "admin", "admin-juan")).exchange()
                .expectStatus().isNoContent()
                .expectBody().isEmpty();

        assertThat(count("SELECT count(*) FROM session.sessions WHERE id = ?", id)).isZero();
        assertThat(count("SELECT count(*) FROM session.auth_state WHERE session_id = ?", id)).isZero();
        assertThat(authState.load(id).blockOptional(Duration.ofSeconds(5))).isEmpty();
        assertThat(qrCodes.current(id, tenant).blockOptional(Duration.ofSeconds(5))).as("QR left behind").isEmpty();
        web.get().uri("/api/v1/sessions/{id}", id).headers(admin(tenant)).exchange().expectStatus().isNotFound();
        web.delete().uri("/api/v1/sessions/{id}", id).headers(admin(tenant)).exchange().expectStatus().isNotFound();

        List<ConsumerRecord<String, byte[]>> sessionCommands = TopicRecords.await(Topics.WA_COMMANDS, id, 2);
        assertThat(TopicRecords.types(sessionCommands))
                .containsExactly(EventTypes.SESSION_RESTART_REQUESTED, EventTypes.SESSION_LOGOUT_REQUESTED);
        ConsumerRecord<String, byte[]> logout = sessionCommands.get(1);
        assertThat(TopicRecords.header(logout, "ce_type")).isEqualTo(EventTypes.SESSION_LOGOUT_REQUESTED);
        assertThat(TopicRecords.payload(logout, SessionCommand.class).requestedBy()).isEqualTo("user:admin-juan");
        List<ConsumerRecord<String, byte[]>> events = TopicRecords.await(Topics.WA_SESSION_EVENTS, id, 2);
        assertThat(TopicRecords.types(events))
                .containsExactly(EventTypes.SESSION_CREATED, EventTypes.SESSION_DELETED);
        SessionStateChanged deleted = TopicRecords.payload(events.get(1), SessionStateChanged.class);
        assertThat(deleted.tenantId()).isEqualTo(tenant);
        assertThat(deleted.status()).isEqualTo(SessionStatus.PENDING);
        assertThat(TopicRecords.header(events.get(1), "ce_tenantid")).isEqualTo(tenant);
    }

    @Test
    void logoutAndRestartGoToTheOwnerOnTheCommandsTopicKeyedBySession() {
        String tenant = "t-commands";
        UUID id = create(tenant, "C1");

        Map<?, ?> logout = web.post().uri("/api/v1/sessions/{id}/logout", id)
                .headers(as(tenant, "admin", "admin-ana")).exchange()
                .expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody();
        web.post().uri("/api/v1/sessions/{id}/restart", id).headers(as(tenant, "admin", "admin-ana")).exchange()
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.command").isEqualTo(EventTypes.SESSION_RESTART_REQUESTED);

        List<ConsumerRecord<String, byte[]>> commands = TopicRecords.await(Topics.WA_COMMANDS, id, 3);
        assertThat(TopicRecords.types(commands)).containsExactly(EventTypes.SESSION_RESTART_REQUESTED,
                EventTypes.SESSION_LOGOUT_REQUESTED, EventTypes.SESSION_RESTART_REQUESTED);
        // the first one started the session when it was created
        for (ConsumerRecord<String, byte[]> command : commands.subList(1, 3)) {
            assertThat(command.key()).isEqualTo(id.toString());
            assertThat(TopicRecords.header(command, "ce_tenantid")).isEqualTo(tenant);
            assertThat(TopicRecords.header(command, "ce_subject")).isEqualTo(id.toString());
            assertThat(TopicRecords.header(command, "ce_source")).isEqualTo("/session-service");
            SessionCommand payload = TopicRecords.payload(command, SessionCommand.class);
            assertThat(payload.sessionId()).isEqualTo(id);
            assertThat(payload.tenantId()).isEqualTo(tenant);
            assertThat(payload.requestedBy()).isEqualTo("user:admin-ana");
        }
        assertThat(logout.get("commandId")).isEqualTo(TopicRecords.header(commands.get(1), "ce_id"));
        assertThat(logout.get("command")).isEqualTo(EventTypes.SESSION_LOGOUT_REQUESTED);
        assertThat(commands.get(1).partition()).isEqualTo(commands.get(2).partition());
    }

    @Test
    void pairingCodeRequestCarriesTheNumberInE164ToTheOwner() {
        String tenant = "t-pairing";
        UUID id = create(tenant, "Pair");

        web.post().uri("/api/v1/sessions/{id}/pairing-code", id).headers(admin(tenant))
                .bodyValue(Map.of("phoneNumber", "+52 1 55 1234-5678"))
                .exchange()
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.command").isEqualTo(EventTypes.SESSION_PAIRING_CODE_REQUESTED);

        ConsumerRecord<String, byte[]> command = TopicRecords.await(Topics.WA_COMMANDS, id, 2).get(1);
        assertThat(command.key()).isEqualTo(id.toString());
        assertThat(TopicRecords.header(command, "ce_type")).isEqualTo(EventTypes.SESSION_PAIRING_CODE_REQUESTED);
        assertThat(TopicRecords.header(command, "ce_tenantid")).isEqualTo(tenant);
        PairingCodeRequested payload = TopicRecords.payload(command, PairingCodeRequested.class);
        assertThat(payload.phoneNumber()).isEqualTo("+5215512345678");
        assertThat(payload.sessionId()).isEqualTo(id);
    }

    @Test
    void pairingCodeIsRefusedForCloudApiOrConnectedSessionsAndForNumbersWithoutCountryCode() throws Exception {
        String tenant = "t-pairing-no";
        UUID cloud = cloudSession(tenant, "Cloud");
        UUID connected = create(tenant, "Live");
        setStatus(connected, "connected");
        UUID linked = create(tenant, "Linked");

        web.post().uri("/api/v1/sessions/{id}/pairing-code", cloud).headers(admin(tenant))
                .bodyValue(Map.of("phoneNumber", "+5215512345678")).exchange()
                .expectStatus().isEqualTo(HttpStatus.CONFLICT);
        web.post().uri("/api/v1/sessions/{id}/pairing-code", connected).headers(admin(tenant))
                .bodyValue(Map.of("phoneNumber", "+5215512345678")).exchange()
                .expectStatus().isEqualTo(HttpStatus.CONFLICT);
        web.post().uri("/api/v1/sessions/{id}/pairing-code", linked).headers(admin(tenant))
                .bodyValue(Map.of("phoneNumber", "55 1234 5678")).exchange()
                .expectStatus().isBadRequest();
        // the linked one's first command is the one that passes: none of the refused ones reached the topic
        web.post().uri("/api/v1/sessions/{id}/logout", linked).headers(admin(tenant)).exchange()
                .expectStatus().isAccepted();
        assertThat(TopicRecords.types(TopicRecords.await(Topics.WA_COMMANDS, linked, 2)))
                .containsExactly(EventTypes.SESSION_RESTART_REQUESTED, EventTypes.SESSION_LOGOUT_REQUESTED);
    }

    // idempotency

    @Test
    void repeatedCreateWithTheSameIdempotencyKeyAnswersTheSameSession() throws Exception {
        String tenant = "t-idem";
        var request = Map.of("name", "Idem", "transport", "linked");

        EntityExchangeResult<Map> first = web.post().uri("/api/v1/sessions").headers(admin(tenant))
                .header("Idempotency-Key", "order-42").bodyValue(request).exchange()
                .expectStatus().isCreated()
                .expectHeader().doesNotExist("Idempotent-Replayed")
                .expectBody(Map.class).returnResult();
        EntityExchangeResult<Map> again = web.post().uri("/api/v1/sessions").headers(admin(tenant))
                .header("Idempotency-Key", "order-42").bodyValue(request).exchange()
                .expectStatus().isCreated()
                .expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody(Map.class).returnResult();

        assertThat(again.getResponseBody().get("id")).isEqualTo(first.getResponseBody().get("id"));
        assertThat(again.getResponseHeaders().getLocation()).isEqualTo(first.getResponseHeaders().getLocation());
        assertThat(count("SELECT count(*) FROM session.sessions WHERE tenant_id = ?", tenant)).isEqualTo(1);

        web.post().uri("/api/v1/sessions").headers(admin(tenant)).header("Idempotency-Key", "order-42")
                .bodyValue(Map.of("name", "Otra", "transport", "linked")).exchange()
                .expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        web.post().uri("/api/v1/sessions").headers(admin("t-idem-other")).header("Idempotency-Key", "order-42")
                .bodyValue(request).exchange()
                .expectStatus().isCreated()
                .expectHeader().doesNotExist("Idempotent-Replayed");
        assertThat(count("SELECT count(*) FROM session.sessions WHERE tenant_id = ?", tenant)).isEqualTo(1);
    }

    @Test
    void concurrentCreatesWithOneIdempotencyKeyMakeOneSession() throws Exception {
        String tenant = "t-idem-race";
        String token = TestJwts.get().token("admin-" + tenant, tenant, "admin");
        var request = Map.of("name", "Carrera", "transport", "linked");

        List<Object> ids = Flux.range(0, 6)
                .flatMap(i -> web.post().uri("/api/v1/sessions")
                        .headers(headers -> headers.setBearerAuth(token))
                        .header("Idempotency-Key", "race-1")
                        .bodyValue(request)
                        .exchange()
                        .returnResult(Map.class)
                        .getResponseBody()
                        .map(body -> body.get("id")))
                .collectList()
                .block(Duration.ofSeconds(30));

        assertThat(ids).hasSize(6).doesNotContainNull();
        assertThat(ids.stream().distinct()).hasSize(1);
        assertThat(count("SELECT count(*) FROM session.sessions WHERE tenant_id = ?", tenant)).isEqualTo(1);
    }

    // helpers

    record Listed(List<UUID> ids, int page, int size, long total) {
    }

    private Listed page(String tenant, String query) {
        return list(tenant, "/api/v1/sessions?" + query);
    }

    private Listed list(String tenant, String uri) {
        Map<?, ?> body = web.get().uri(uri).headers(supervisor(tenant)).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        List<UUID> ids = ((List<?>) body.get("items")).stream()
                .map(item -> UUID.fromString((String) ((Map<?, ?>) item).get("id")))
                .toList();
        return new Listed(ids, (Integer) body.get("page"), (Integer) body.get("size"),
                ((Number) body.get("total")).longValue());
    }

    private UUID create(String tenant, String name) {
        Map<?, ?> body = web.post().uri("/api/v1/sessions").headers(admin(tenant))
                .bodyValue(Map.of("name", name, "transport", "linked"))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        return UUID.fromString((String) body.get("id"));
    }

    private UUID cloudSession(String tenant, String name) {
        Map<?, ?> body = web.post().uri("/api/v1/sessions").headers(admin(tenant))
                .bodyValue(cloudApi(name, nextPhoneNumberId()))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        return UUID.fromString((String) body.get("id"));
    }

    private static Map<String, Object> cloudApi(String name, String phoneNumberId) {
        return Map.of("name", name, "transport", "cloud-api", "cloudApi", Map.of("phoneNumberId", phoneNumberId,
                "accessToken", ACCESS_TOKEN, "appSecret", APP_SECRET, "verifyToken", VERIFY_TOKEN));
    }

    private static String nextPhoneNumberId() {
        return "1065" + NUMBER_IDS.incrementAndGet();
    }

    private static java.util.function.Consumer<org.springframework.http.HttpHeaders> admin(String tenant) {
        return as(tenant, "admin");
    }

    private static java.util.function.Consumer<org.springframework.http.HttpHeaders> supervisor(String tenant) {
        return as(tenant, "supervisor");
    }

    private static java.util.function.Consumer<org.springframework.http.HttpHeaders> as(String tenant, String role) {
        return as(tenant, role, role + "-" + tenant);
    }

    private static java.util.function.Consumer<org.springframework.http.HttpHeaders> as(String tenant, String role,
            String user) {
        String token = TestJwts.get().token(user, tenant, role);
        return headers -> headers.setBearerAuth(token);
    }

    private static Map<?, ?> json(String body) {
        return new dev.conversa.events.cloudevents.CloudEventCodec().json().readValue(body, Map.class);
    }

    private void setStatus(UUID id, String status) {
        assertThat(servers.database().update("UPDATE session.sessions SET status = ? WHERE id = ?", status, id))
                .isEqualTo(1);
    }

    private void execute(String sql, UUID id) {
        assertThat(servers.database().update(sql, id)).isEqualTo(1);
    }

    private long count(String sql, Object parameter) {
        return servers.database().queryLong(sql, parameter);
    }

    private String rowText(String sql, UUID id) {
        return servers.database().queryString(sql, id);
    }
}
