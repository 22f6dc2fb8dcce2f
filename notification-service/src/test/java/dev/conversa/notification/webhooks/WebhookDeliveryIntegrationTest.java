package dev.conversa.notification.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import com.icegreen.greenmail.util.GreenMail;

import dev.conversa.events.EventTypes;
import dev.conversa.events.session.SessionStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Deliveries end to end: Kafka event → delivery row → signed POST to a real local receiver, retries, restarts. */
@TestPropertySource(properties = "conversa.notification.webhooks.allow-private-targets=true")
class WebhookDeliveryIntegrationTest extends NotificationTestBase {

    private static final String SECRET = "test-secret-0123456789abcdef";
    private static Receiver receiver;
    private static GreenMail mail;
    private final JsonMapper json = JsonMapper.builder().build();

    @Autowired
    MeterRegistry meters;

    @BeforeAll
    static void servers() throws Exception {
        receiver = new Receiver();
        mail = smtp();
    }

    @AfterAll
    static void stop() {
        receiver.close();
        mail.stop();
    }

    private String subscribe(String tenant, String path, String... types) {
        Map<?, ?> created = web.post().uri("/api/v1/webhooks")
                .headers(headers -> headers.setBearerAuth(admin(tenant)))
                .bodyValue(Map.of("url", receiver.url(path), "eventTypes", List.of(types), "secret", SECRET))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) created.get("id");
    }

    private double attempts(String outcome) {
        Counter counter = meters.find("conversa.webhook.attempts").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private Map<String, Object> delivery(String eventId) {
        return servers.database().queryRow("SELECT * FROM notification.webhook_deliveries WHERE event_id = ?",
                eventId);
    }

    @Test
    void receiverCanVerifyTheSignature() throws Exception {
        String tenant = newTenant();
        String path = "/verify-" + tenant;
        subscribe(tenant, path, "conversa.session.*");

        String eventId = publishLoggedOut(tenant);

        await().atMost(TIMEOUT).until(() -> receiver.requests(path).size() == 1);
        Receiver.Request request = receiver.requests(path).getFirst();
        String timestamp = request.header("X-Conversa-Timestamp");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        String expected = "v1=" + HexFormat.of().formatHex(mac.doFinal(request.body()));
        assertThat(request.header("X-Conversa-Signature")).isEqualTo(expected);
        assertThat(request.header("X-Conversa-Event-Id")).isEqualTo(eventId);
        assertThat(Long.parseLong(timestamp)).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.api
                .Assertions.within(60L));
        JsonNode event = json.readTree(request.body());
        assertThat(event.get("specversion").asString()).isEqualTo("1.0");
        assertThat(event.get("id").asString()).isEqualTo(eventId);
        assertThat(event.get("type").asString()).isEqualTo(EventTypes.SESSION_LOGGED_OUT);
        assertThat(event.get("tenantid").asString()).isEqualTo(tenant);
        assertThat(event.get("data").get("status").asString()).isEqualTo("logged_out");
        await().atMost(TIMEOUT).until(() -> "delivered".equals(delivery(eventId).get("status")));
    }

    @Test
    void eventsOutsideTheFilterAreNotDelivered() {
        String tenant = newTenant();
        String path = "/filtered-" + tenant;
        subscribe(tenant, path, EventTypes.SESSION_BANNED);
        String other = publishLoggedOut(tenant);
        String wanted = publishSession(tenant, SessionStatus.BANNED, EventTypes.SESSION_BANNED,
                UUID.randomUUID().toString());
        await().atMost(TIMEOUT).until(() -> receiver.requests(path).size() == 1);
        assertThat(receiver.requests(path).getFirst().header("X-Conversa-Event-Id")).isEqualTo(wanted);
        assertThat(servers.database().queryLong(
                "SELECT count(*) FROM notification.webhook_deliveries WHERE event_id = ?", other)).isZero();
    }

    @Test
    void failedDeliveryIsRetriedUntilTheReceiverAccepts() {
        String tenant = newTenant();
        String path = "/flaky-" + tenant;
        receiver.script(path, new Receiver.Response(503, Map.of()), new Receiver.Response(500, Map.of()));
        subscribe(tenant, path, "*");
        double retriesBefore = attempts("retry");

        String eventId = publishLoggedOut(tenant);

        await().atMost(TIMEOUT).until(() -> "delivered".equals(delivery(eventId).get("status")));
        // the two failures count as retries (other tests' deliveries may add to the same meter)
        assertThat(attempts("retry") - retriesBefore).isGreaterThanOrEqualTo(2);
        assertThat(attempts("delivered")).isPositive();
        assertThat(receiver.requests(path)).hasSize(3)
                .allSatisfy(request -> assertThat(request.header("X-Conversa-Event-Id")).isEqualTo(eventId));
        assertThat(delivery(eventId)).containsEntry("attempts", 3).containsEntry("last_status_code", 200);
    }

    @Test
    void clientErrorIsNotRetried() throws Exception {
        String tenant = newTenant();
        String path = "/bad-request-" + tenant;
        receiver.script(path, new Receiver.Response(400, Map.of()));
        String id = subscribe(tenant, path, "*");

        String eventId = publishLoggedOut(tenant);

        await().atMost(TIMEOUT).until(() -> "failed".equals(delivery(eventId).get("status")));
        Thread.sleep(1_000);
        assertThat(receiver.requests(path)).hasSize(1);
        web.get().uri("/api/v1/webhooks/{id}/deliveries?status=failed", id)
                .headers(headers -> headers.setBearerAuth(admin(tenant)))
                .exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].eventId").isEqualTo(eventId)
                .jsonPath("$.items[0].attempts").isEqualTo(1)
                .jsonPath("$.items[0].lastStatusCode").isEqualTo(400)
                .jsonPath("$.items[0].status").isEqualTo("failed");
    }

    @Test
    void tooManyRequestsIsRetriedAfterTheReceiversRetryAfter() {
        String tenant = newTenant();
        String path = "/throttled-" + tenant;
        receiver.script(path, new Receiver.Response(429, Map.of("Retry-After", "2")));
        subscribe(tenant, path, "*");

        String eventId = publishLoggedOut(tenant);

        await().atMost(TIMEOUT).until(() -> "delivered".equals(delivery(eventId).get("status")));
        List<Receiver.Request> requests = receiver.requests(path);
        assertThat(requests).hasSize(2);
        // the back-off alone would have waited 200 ms
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
    }

    @Test
    void deliveryLeftClaimedByADeadInstanceIsDeliveredAfterItsLease() {
        String tenant = newTenant();
        String path = "/restart-" + tenant;
        String id = subscribe(tenant, path, "*");
        String expired = "dead-" + UUID.randomUUID();
        String leased = "alive-" + UUID.randomUUID();
        String insert = "INSERT INTO notification.webhook_deliveries (id, subscription_id, tenant_id, event_id, "
                + "event_type, body, attempts, next_attempt_at, claimed_by, claim_token) "
                + "VALUES (?, ?, ?, ?, 'conversa.session.logged-out.v1', '{\"id\":\"x\"}', 1, "
                + "now() + ?::interval, ?, ?)";
        servers.database().update(insert, UUID.randomUUID(), UUID.fromString(id), tenant, expired, "-1 second",
                "instance-that-died", UUID.randomUUID());
        servers.database().update(insert, UUID.randomUUID(), UUID.fromString(id), tenant, leased, "1 hour",
                "instance-still-working", UUID.randomUUID());

        await().atMost(TIMEOUT).until(() -> "delivered".equals(delivery(expired).get("status")));
        assertThat(delivery(expired)).containsEntry("attempts", 2);
        assertThat(receiver.requests(path)).extracting(request -> request.header("X-Conversa-Event-Id"))
                .containsExactly(expired);
        assertThat(delivery(leased)).containsEntry("status", "pending").containsEntry("attempts", 1);
    }

    @Test
    void redeliveredKafkaEventIsDeliveredOnce() throws Exception {
        String tenant = newTenant();
        String path = "/once-" + tenant;
        subscribe(tenant, path, "*");
        String eventId = UUID.randomUUID().toString();

        publishSession(tenant, SessionStatus.LOGGED_OUT, EventTypes.SESSION_LOGGED_OUT, eventId);
        await().atMost(TIMEOUT).until(() -> receiver.requests(path).size() == 1);
        publishSession(tenant, SessionStatus.LOGGED_OUT, EventTypes.SESSION_LOGGED_OUT, eventId);
        String marker = publishLoggedOut(tenant);
        await().atMost(TIMEOUT).until(() -> receiver.requests(path).size() == 2);
        Thread.sleep(500);

        assertThat(receiver.requests(path)).extracting(request -> request.header("X-Conversa-Event-Id"))
                .containsExactly(eventId, marker);
        assertThat(servers.database().queryLong(
                "SELECT count(*) FROM notification.webhook_deliveries WHERE event_id = ?", eventId)).isOne();
    }

    @Test
    void deliveredEventCanBeReplayed() {
        String tenant = newTenant();
        String path = "/replay-" + tenant;
        String id = subscribe(tenant, path, "*");
        String eventId = publishLoggedOut(tenant);
        await().atMost(TIMEOUT).until(() -> "delivered".equals(delivery(eventId).get("status")));
        String deliveryId = delivery(eventId).get("id").toString();

        web.post().uri("/api/v1/webhooks/{id}/deliveries/{delivery}/replay", id, deliveryId)
                .headers(headers -> headers.setBearerAuth(admin(tenant)))
                .exchange().expectStatus().isAccepted()
                .expectBody().jsonPath("$.status").isEqualTo("pending");

        await().atMost(TIMEOUT).until(() -> receiver.requests(path).size() == 2);
        await().atMost(TIMEOUT).until(() -> "delivered".equals(delivery(eventId).get("status")));
        web.post().uri("/api/v1/webhooks/{id}/deliveries/{delivery}/replay", id, UUID.randomUUID())
                .headers(headers -> headers.setBearerAuth(admin(tenant)))
                .exchange().expectStatus().isNotFound();
    }

    @Test
    void subscriptionFailingInARowIsDisabledAndAdminsAreEmailed() throws Exception {
        String tenant = newTenant();
        web.put().uri("/api/v1/alerts/recipients").headers(headers -> headers.setBearerAuth(admin(tenant)))
                .bodyValue(Map.of("recipients", List.of(Map.of("email", "ops@" + tenant + ".example",
                        "kinds", List.of("webhook-disabled")))))
                .exchange().expectStatus().isOk();
        String path = "/down-" + tenant;
        receiver.alwaysAnswer(path, 500);
        String id = subscribe(tenant, path, "*");

        publishLoggedOut(tenant);

        await().atMost(TIMEOUT).until(() -> !Boolean.TRUE.equals(servers.database().queryRow(
                "SELECT active FROM notification.webhook_subscriptions WHERE id = ?::uuid", id).get("active")));
        assertThat(receiver.requests(path)).hasSize(3);
        web.get().uri("/api/v1/webhooks/{id}", id).headers(headers -> headers.setBearerAuth(admin(tenant)))
                .exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.active").isEqualTo(false)
                .jsonPath("$.consecutiveFailures").isEqualTo(3)
                .jsonPath("$.disabledReason").value(reason -> assertThat((String) reason).contains("HTTP 500"));
        await().atMost(TIMEOUT).until(() -> java.util.Arrays.stream(mail.getReceivedMessages()).anyMatch(
                message -> recipient(message).equals("ops@" + tenant + ".example")));
        var message = java.util.Arrays.stream(mail.getReceivedMessages())
                .filter(candidate -> recipient(candidate).equals("ops@" + tenant + ".example")).findFirst()
                .orElseThrow();
        assertThat(message.getSubject()).contains("Webhook desactivado").contains("Webhook disabled");
        assertThat((String) message.getContent()).contains(receiver.url(path)).contains("HTTP 500");
        // no more attempts while disabled
        Thread.sleep(800);
        assertThat(receiver.requests(path)).hasSize(3);
    }

    private static String recipient(jakarta.mail.internet.MimeMessage message) {
        try {
            return message.getAllRecipients()[0].toString();
        }
        catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
