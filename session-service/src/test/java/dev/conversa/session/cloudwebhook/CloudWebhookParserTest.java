package dev.conversa.session.cloudwebhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.conversa.events.message.ButtonReply;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.events.message.MessageStatusChanged;
import dev.conversa.events.message.MessageType;
import dev.conversa.session.sessions.CloudApiCredentials;

class CloudWebhookParserTest {

    private static final WebhookSession SESSION = new WebhookSession(UUID.randomUUID(), "t-parse",
            new CloudApiCredentials("a", "s", "v"));
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final CloudWebhookParser parser = new CloudWebhookParser();

    @Test
    void everyMessageKindBecomesAReceivedMessageWithE164SenderAndEpochTimestamp() {
        CloudWebhookPayload payload = parse(value("""
                "contacts":[{"profile":{"name":"Sheena"},"wa_id":"16505551234"}],
                "messages":[
                 {"from":"16505551234","id":"w1","timestamp":"1749416383","type":"text","text":{"body":"hola"}},
                 {"from":"16505551234","id":"w2","timestamp":"1749416384","type":"image",
                  "image":{"caption":"foto","mime_type":"image/jpeg","sha256":"abc","id":"m1","url":"u"}},
                 {"from":"16505551234","id":"w3","timestamp":"1749416385","type":"document",
                  "document":{"filename":"a.pdf","mime_type":"application/pdf","sha256":"def","id":"m2"}},
                 {"from":"16505551234","id":"w4","timestamp":"1749416386","type":"location",
                  "location":{"latitude":-34.6,"longitude":-58.4,"name":"Obelisco","address":"CABA"}},
                 {"from":"16505551234","id":"w5","timestamp":"1749416387","type":"reaction",
                  "reaction":{"message_id":"w1","emoji":"👍"}},
                 {"from":"16505551234","id":"w6","timestamp":"1749416388","type":"interactive",
                  "context":{"from":"15550783881","id":"wamid.out"},
                  "interactive":{"type":"list_reply","list_reply":{"id":"row-2","title":"Dos","description":"d"}}},
                 {"from":"16505551234","id":"w7","timestamp":"1749416389","type":"button",
                  "button":{"payload":"CONFIRM","text":"Confirm"}}
                ]"""));

        assertThat(payload.messages()).extracting(MessageReceived::type).containsExactly(MessageType.TEXT,
                MessageType.IMAGE, MessageType.DOCUMENT, MessageType.LOCATION, MessageType.REACTION,
                MessageType.INTERACTIVE, MessageType.BUTTON);
        MessageReceived text = payload.messages().get(0);
        assertThat(text.from()).isEqualTo("+16505551234");
        assertThat(text.contactName()).isEqualTo("Sheena");
        assertThat(text.text()).isEqualTo("hola");
        assertThat(text.timestamp()).isEqualTo(Instant.ofEpochSecond(1749416383));
        assertThat(text.tenantId()).isEqualTo("t-parse");
        assertThat(payload.messages().get(1).media()).satisfies(media -> {
            assertThat(media.waMediaId()).isEqualTo("m1");
            assertThat(media.mimeType()).isEqualTo("image/jpeg");
            assertThat(media.sha256()).isEqualTo("abc");
            assertThat(media.caption()).isEqualTo("foto");
        });
        assertThat(payload.messages().get(2).media().filename()).isEqualTo("a.pdf");
        assertThat(payload.messages().get(3).location().name()).isEqualTo("Obelisco");
        assertThat(payload.messages().get(4).reaction().emoji()).isEqualTo("👍");
        assertThat(payload.messages().get(5).buttonReply()).isEqualTo(new ButtonReply("row-2", "Dos"));
        assertThat(payload.messages().get(5).contextWaMessageId()).isEqualTo("wamid.out");
        assertThat(payload.messages().get(6).buttonReply()).isEqualTo(new ButtonReply("CONFIRM", "Confirm"));
    }

    @Test
    void statusesKeepTheirOrderCarryErrorsAndCallbackDataAndSkipPlayed() {
        CloudWebhookPayload payload = parse(value("""
                "statuses":[
                 {"id":"w1","status":"read","timestamp":"1750030075","recipient_id":"16505551234"},
                 {"id":"w1","status":"delivered","timestamp":"1750030074","recipient_id":"16505551234",
                  "biz_opaque_callback_data":"order-42"},
                 {"id":"w2","status":"played","timestamp":"1750030076","recipient_id":"16505551234"},
                 {"id":"w3","status":"failed","timestamp":"1751142888","recipient_id":"16505551234",
                  "errors":[{"code":131049,"title":"Not delivered"}]}
                ]"""));

        assertThat(payload.statuses()).extracting(MessageStatusChanged::status)
                .containsExactly(DeliveryStatus.READ, DeliveryStatus.DELIVERED, DeliveryStatus.FAILED);
        assertThat(payload.statuses().get(1).correlationId()).isEqualTo("order-42");
        assertThat(payload.statuses().get(2).errorCode()).isEqualTo(131049);
        assertThat(payload.statuses().get(2).errorTitle()).isEqualTo("Not delivered");
        assertThat(payload.statuses().get(0).recipient()).isEqualTo("+16505551234");
        assertThat(payload.statuses().get(0).occurredAt()).isEqualTo(Instant.ofEpochSecond(1750030075));
    }

    @Test
    void bodyThatIsNotAJsonObjectIsRefused() {
        assertThatThrownBy(() -> parser.parse("nope".getBytes(StandardCharsets.UTF_8), SESSION, NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parser.parse("[]".getBytes(StandardCharsets.UTF_8), SESSION, NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private CloudWebhookPayload parse(String body) {
        return parser.parse(body.getBytes(StandardCharsets.UTF_8), SESSION, NOW);
    }

    private static String value(String fields) {
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[{"field":"messages","value":{
                "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"1"},
                """ + fields + "}}]}]}";
    }
}
