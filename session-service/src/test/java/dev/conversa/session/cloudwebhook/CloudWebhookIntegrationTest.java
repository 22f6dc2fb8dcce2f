package dev.conversa.session.cloudwebhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.events.message.MessageStatusChanged;
import dev.conversa.events.message.MessageType;
import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.TestJwts;
import dev.conversa.testsupport.TopicRecords;
import dev.conversa.web.id.Uuids;

/**
 * The Cloud API webhook on the real servers: a session created through the sessions API, Meta's calls made without
 * a token, and what lands on the topics read back with a plain consumer.
 */
@ConversaIntegrationTest
class CloudWebhookIntegrationTest {

    private static final String APP_SECRET = "webhook-app-secret-7c1d";
    private static final String VERIFY_TOKEN = "webhook-verify-token-42";

    @Autowired
    WebTestClient web;

    @Test
    void handshakeWithTheSessionsVerifyTokenAnswersTheChallengeAsPlainText() {
        CloudSession session = cloudSession("t-wh-verify");

        String body = web.get().uri("/webhooks/whatsapp/{id}?hub.mode=subscribe&hub.challenge=1158201444"
                        + "&hub.verify_token={token}", session.phoneNumberId(), VERIFY_TOKEN)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(body).isEqualTo("1158201444");
    }

    @Test
    void handshakeWithAnotherVerifyTokenIsForbiddenAndAnUnknownNumberIsNotFound() {
        CloudSession session = cloudSession("t-wh-forbidden");

        web.get().uri("/webhooks/whatsapp/{id}?hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong",
                        session.phoneNumberId())
                .exchange()
                .expectStatus().isForbidden();
        web.get().uri("/webhooks/whatsapp/{id}?hub.mode=subscribe&hub.challenge=1&hub.verify_token={token}",
                        "999000" + ThreadLocalRandom.current().nextInt(1_000_000), VERIFY_TOKEN)
                .exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void forgedOrMissingSignatureIsUnauthorizedAndPublishesNothing() {
        CloudSession session = cloudSession("t-wh-forged");
        byte[] body = textMessage(session, "wamid.FORGED", "no debería llegar");

        web.post().uri("/webhooks/whatsapp/{id}", session.phoneNumberId())
                .contentType(MediaType.APPLICATION_JSON)
                .header(WebhookSignature.HEADER, WebhookSignature.sign("not-the-app-secret", body))
                .bodyValue(body)
                .exchange()
                .expectStatus().isUnauthorized();
        web.post().uri("/webhooks/whatsapp/{id}", session.phoneNumberId())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isUnauthorized();

        assertThat(records(Topics.WA_MESSAGE_INBOUND, session.id(), 1, Duration.ofSeconds(3))).isEmpty();
    }

    @Test
    void signedTextMessageIsPublishedOnceWithTenantSessionE164SenderAndDeterministicId() {
        CloudSession session = cloudSession("t-wh-text");
        byte[] body = textMessage(session, "wamid.HBgLTEXT1", "Does it come in another color?");

        post(session, body).expectStatus().isOk();

        List<ConsumerRecord<String, byte[]>> records = awaitRecords(Topics.WA_MESSAGE_INBOUND, session.id(), 1);
        assertThat(records).hasSize(1);
        ConsumerRecord<String, byte[]> record = records.getFirst();
        assertThat(header(record, "ce_type")).isEqualTo(EventTypes.MESSAGE_RECEIVED);
        assertThat(header(record, "ce_id"))
                .isEqualTo(Uuids.named("received", session.id().toString(), "wamid.HBgLTEXT1").toString());
        MessageReceived message = TopicRecords.payload(record, MessageReceived.class);
        assertThat(message.tenantId()).isEqualTo("t-wh-text");
        assertThat(message.sessionId()).isEqualTo(session.id());
        assertThat(message.from()).isEqualTo("+16505551234");
        assertThat(message.contactName()).isEqualTo("Sheena Nelson");
        assertThat(message.type()).isEqualTo(MessageType.TEXT);
        assertThat(message.text()).isEqualTo("Does it come in another color?");
        assertThat(message.timestamp()).isEqualTo(Instant.ofEpochSecond(1749416383));
    }

    @Test
    void samePayloadPostedTwiceIsRepublishedWithTheSameEventId() {
        CloudSession session = cloudSession("t-wh-dup");
        byte[] body = textMessage(session, "wamid.HBgLDUP", "hola");

        post(session, body).expectStatus().isOk();
        post(session, body).expectStatus().isOk();

        List<ConsumerRecord<String, byte[]>> records = awaitRecords(Topics.WA_MESSAGE_INBOUND, session.id(), 2);
        assertThat(records).hasSize(2);
        assertThat(header(records.get(0), "ce_id")).isEqualTo(header(records.get(1), "ce_id"));
    }

    @Test
    void statusesArePublishedOnTheStatusTopicInTheOrderReceivedWithTheirTypes() {
        CloudSession session = cloudSession("t-wh-status");
        byte[] body = envelope(session, """
                "statuses":[
                 {"id":"wamid.OUT1","status":"sent","timestamp":"1750030073","recipient_id":"16505551234",
                  "biz_opaque_callback_data":"order-42"},
                 {"id":"wamid.OUT1","status":"read","timestamp":"1750030075","recipient_id":"16505551234"},
                 {"id":"wamid.OUT1","status":"delivered","timestamp":"1750030074","recipient_id":"16505551234"},
                 {"id":"wamid.OUT2","status":"failed","timestamp":"1751142888","recipient_id":"16505551234",
                  "errors":[{"code":131049,"title":"This message was not delivered to maintain healthy ecosystem"}]}
                ]""");

        post(session, body).expectStatus().isOk();

        List<ConsumerRecord<String, byte[]>> records = awaitRecords(Topics.WA_MESSAGE_STATUS, session.id(), 4);
        assertThat(records).extracting(record -> header(record, "ce_type")).containsExactly(
                EventTypes.MESSAGE_SENT, EventTypes.MESSAGE_READ, EventTypes.MESSAGE_DELIVERED,
                EventTypes.MESSAGE_FAILED);
        List<MessageStatusChanged> statuses = records.stream()
                .map(record -> TopicRecords.payload(record, MessageStatusChanged.class))
                .toList();
        assertThat(statuses).extracting(MessageStatusChanged::status).containsExactly(DeliveryStatus.SENT,
                DeliveryStatus.READ, DeliveryStatus.DELIVERED, DeliveryStatus.FAILED);
        // "order-42" names no send of Conversa's outbound queue (ours carry the row id): no command fields are made up
        assertThat(statuses.getFirst().correlationId()).isNull();
        assertThat(statuses.getFirst().idempotencyKey()).isNull();
        assertThat(statuses.getFirst().recipient()).isEqualTo("+16505551234");
        assertThat(statuses.get(3).errorCode()).isEqualTo(131049);
        assertThat(header(records.get(1), "ce_id"))
                .isEqualTo(Uuids.named("status", session.id().toString(), "wamid.OUT1", "read").toString());
    }

    @Test
    void bodyLargerThanThreeMegabytesIsRefusedAsTooLarge() {
        CloudSession session = cloudSession("t-wh-large");
        byte[] body = new byte[3 * 1024 * 1024 + 1];
        Arrays.fill(body, (byte) ' ');

        post(session, body).expectStatus().isEqualTo(413);
    }

    @Test
    void webhookPathsAreOpenButTheRestOfTheApiStillNeedsAToken() {
        web.get().uri("/api/v1/sessions").exchange().expectStatus().isUnauthorized();
    }

    private WebTestClient.ResponseSpec post(CloudSession session, byte[] body) {
        return web.post().uri("/webhooks/whatsapp/{id}", session.phoneNumberId())
                .contentType(MediaType.APPLICATION_JSON)
                .header(WebhookSignature.HEADER, WebhookSignature.sign(APP_SECRET, body))
                .bodyValue(body)
                .exchange();
    }

    private CloudSession cloudSession(String tenant) {
        String phoneNumberId = "1065" + ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L);
        String token = TestJwts.get().token("admin-" + tenant, tenant, "admin");
        Map<?, ?> created = web.post().uri("/api/v1/sessions")
                .headers(headers -> headers.setBearerAuth(token))
                .bodyValue(Map.of("name", "Cloud " + phoneNumberId, "transport", "cloud-api", "cloudApi",
                        Map.of("phoneNumberId", phoneNumberId, "accessToken", "EAAG-token", "appSecret", APP_SECRET,
                                "verifyToken", VERIFY_TOKEN)))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        return new CloudSession(UUID.fromString((String) created.get("id")), phoneNumberId);
    }

    private static byte[] textMessage(CloudSession session, String wamid, String text) {
        return envelope(session, """
                "contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],
                "messages":[{"from":"16505551234","id":"%s","timestamp":"1749416383","type":"text",
                  "text":{"body":"%s"}}]""".formatted(wamid, text));
    }

    private static byte[] envelope(CloudSession session, String valueFields) {
        return ("""
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",
                "value":{"messaging_product":"whatsapp",
                "metadata":{"display_phone_number":"15550783881","phone_number_id":"%s"},
                """.formatted(session.phoneNumberId()) + valueFields + "}}]}]}").getBytes(StandardCharsets.UTF_8);
    }

    private static List<ConsumerRecord<String, byte[]>> awaitRecords(String topic, UUID sessionId, int count) {
        return TopicRecords.await(topic, sessionId, count);
    }

    private static List<ConsumerRecord<String, byte[]>> records(String topic, UUID sessionId, int count,
            Duration timeout) {
        return TopicRecords.read(topic, sessionId.toString(), count, timeout);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return TopicRecords.header(record, name);
    }

    private record CloudSession(UUID id, String phoneNumberId) {
    }
}
