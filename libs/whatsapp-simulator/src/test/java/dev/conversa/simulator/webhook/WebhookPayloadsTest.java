package dev.conversa.simulator.webhook;

import static dev.conversa.simulator.webhook.WebhookTestData.AT;
import static dev.conversa.simulator.webhook.WebhookTestData.BUSINESS;
import static dev.conversa.simulator.webhook.WebhookTestData.CUSTOMER;
import static dev.conversa.simulator.webhook.WebhookTestData.outbound;
import static dev.conversa.simulator.webhook.WebhookTestData.receipt;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.conversa.simulator.ban.AccountNotice;
import dev.conversa.simulator.core.InboundMessage;
import dev.conversa.simulator.core.Receipt;
import dev.conversa.simulator.core.ReceiptStatus;
import dev.conversa.simulator.media.StoredMedia;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class WebhookPayloadsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final WebhookTestData data = new WebhookTestData();
    private final WebhookTarget target = WebhookTestData.target("http://receiver.test/webhook");

    private JsonNode envelope(tools.jackson.databind.node.ObjectNode entry) {
        return JSON.readTree(data.payloads.envelope(List.of(entry)));
    }

    private JsonNode inboundMessage(InboundMessage message) {
        return envelope(data.payloads.inbound(target, message)).path("entry").get(0).path("changes").get(0)
                .path("value").path("messages").get(0);
    }

    private JsonNode status(Receipt receipt) {
        return envelope(data.payloads.status(target, receipt)).path("entry").get(0).path("changes").get(0)
                .path("value").path("statuses").get(0);
    }

    private static InboundMessage message(String type, String text, InboundMessage.Media media,
            InboundMessage.Location location, InboundMessage.Reaction reaction, InboundMessage.ButtonReply reply,
            String context) {
        return new InboundMessage("wamid.in", CUSTOMER, BUSINESS, "Ana", type, text, media, location, reaction,
                reply, context, AT, null);
    }

    @Test
    void textMessageArrivesInMetasEnvelope() {
        JsonNode json = envelope(data.payloads.inbound(target, WebhookTestData.text("wamid.in", "Hola")));

        assertThat(json.path("object").asString()).isEqualTo("whatsapp_business_account");
        JsonNode entry = json.path("entry").get(0);
        assertThat(entry.path("id").asString()).isEqualTo("102290129340398");
        JsonNode change = entry.path("changes").get(0);
        assertThat(change.path("field").asString()).isEqualTo("messages");
        JsonNode value = change.path("value");
        assertThat(value.path("messaging_product").asString()).isEqualTo("whatsapp");
        assertThat(value.path("metadata").path("display_phone_number").asString()).isEqualTo(BUSINESS);
        assertThat(value.path("metadata").path("phone_number_id").asString()).isEqualTo("106540352242922");
        assertThat(value.path("contacts").get(0).path("profile").path("name").asString()).isEqualTo("Ana");
        assertThat(value.path("contacts").get(0).path("wa_id").asString()).isEqualTo(CUSTOMER);
        JsonNode message = value.path("messages").get(0);
        assertThat(message.path("from").asString()).isEqualTo(CUSTOMER);
        assertThat(message.path("id").asString()).isEqualTo("wamid.in");
        assertThat(message.path("timestamp").isString()).isTrue();
        assertThat(message.path("timestamp").asString()).isEqualTo(Long.toString(AT.getEpochSecond()));
        assertThat(message.path("type").asString()).isEqualTo("text");
        assertThat(message.path("text").path("body").asString()).isEqualTo("Hola");
        assertThat(message.has("context")).isFalse();
    }

    @Test
    void imageMessageCarriesMediaIdMimeTypeShaAndASignedUrl() {
        StoredMedia photo = data.media.put("jpeg bytes".getBytes(StandardCharsets.UTF_8), "image/jpeg", "a.jpg");

        JsonNode message = inboundMessage(message("image", null,
                new InboundMessage.Media(photo.id(), "image/jpeg", null, null, null, "foto"), null, null, null,
                null));

        assertThat(message.path("type").asString()).isEqualTo("image");
        JsonNode image = message.path("image");
        assertThat(image.path("id").asString()).isEqualTo(photo.id());
        assertThat(image.path("mime_type").asString()).isEqualTo("image/jpeg");
        assertThat(image.path("sha256").asString()).isEqualTo(photo.sha256());
        assertThat(image.path("caption").asString()).isEqualTo("foto");
        String url = image.path("url").asString();
        assertThat(url).startsWith("http://sim.test:8090/media-download/" + photo.id() + "?expires=");
        String expires = url.replaceAll(".*expires=([0-9]+).*", "$1");
        String sig = url.replaceAll(".*sig=([0-9a-f]+).*", "$1");
        assertThat(data.urls.isValid(photo.id(), expires, sig)).isTrue();
    }

    @Test
    void documentMessageCarriesItsFilename() {
        JsonNode message = inboundMessage(message("document", null,
                new InboundMessage.Media("123456789012345678", "application/pdf", "abc", 10L, "order.pdf", null),
                null, null, null, null));

        assertThat(message.path("document").path("filename").asString()).isEqualTo("order.pdf");
        assertThat(message.path("document").path("sha256").asString()).isEqualTo("abc");
        assertThat(message.path("document").has("caption")).isFalse();
    }

    @Test
    void locationMessageCarriesCoordinatesNameAndAddress() {
        JsonNode message = inboundMessage(message("location", null, null,
                new InboundMessage.Location(-34.6, -58.4, "Oficina", "Av. Siempreviva 742"), null, null, null));

        JsonNode location = message.path("location");
        assertThat(location.path("latitude").doubleValue()).isEqualTo(-34.6);
        assertThat(location.path("longitude").doubleValue()).isEqualTo(-58.4);
        assertThat(location.path("name").asString()).isEqualTo("Oficina");
        assertThat(location.path("address").asString()).isEqualTo("Av. Siempreviva 742");
    }

    @Test
    void reactionCarriesMessageIdAndEmojiAndARemovalHasNoEmoji() {
        JsonNode added = inboundMessage(message("reaction", null, null, null,
                new InboundMessage.Reaction("wamid.out", "👍"), null, null));
        JsonNode removed = inboundMessage(message("reaction", null, null, null,
                new InboundMessage.Reaction("wamid.out", null), null, null));

        assertThat(added.path("reaction").path("message_id").asString()).isEqualTo("wamid.out");
        assertThat(added.path("reaction").path("emoji").asString()).isEqualTo("👍");
        assertThat(removed.path("reaction").has("emoji")).isFalse();
    }

    @Test
    void buttonReplyIsAnInteractiveMessageWithContext() {
        JsonNode message = inboundMessage(message("interactive", null, null, null, null,
                new InboundMessage.ButtonReply("cancel-button", "Cancel"), "wamid.question"));

        assertThat(message.path("type").asString()).isEqualTo("interactive");
        assertThat(message.path("interactive").path("type").asString()).isEqualTo("button_reply");
        assertThat(message.path("interactive").path("button_reply").path("id").asString())
                .isEqualTo("cancel-button");
        assertThat(message.path("interactive").path("button_reply").path("title").asString()).isEqualTo("Cancel");
        assertThat(message.path("context").path("from").asString()).isEqualTo(BUSINESS);
        assertThat(message.path("context").path("id").asString()).isEqualTo("wamid.question");
    }

    @Test
    void templateQuickReplyIsAButtonMessageWithPayloadAndText() {
        JsonNode message = inboundMessage(message("button", null, null, null, null,
                new InboundMessage.ButtonReply("CONFIRM", "Confirm"), "wamid.template"));

        assertThat(message.path("type").asString()).isEqualTo("button");
        assertThat(message.path("button").path("payload").asString()).isEqualTo("CONFIRM");
        assertThat(message.path("button").path("text").asString()).isEqualTo("Confirm");
    }

    @Test
    void unknownTypeBecomesUnsupportedWithError131051() {
        JsonNode message = inboundMessage(message("poll", "?", null, null, null, null, null));

        assertThat(message.path("type").asString()).isEqualTo("unsupported");
        assertThat(message.path("errors").get(0).path("code").intValue()).isEqualTo(131051);
    }

    @Test
    void sentStatusCarriesRecipientTimestampCallbackDataAndPricing() {
        JsonNode status = status(receipt(outbound("wamid.out", "text", "order-42"), ReceiptStatus.SENT));

        assertThat(status.path("id").asString()).isEqualTo("wamid.out");
        assertThat(status.path("status").asString()).isEqualTo("sent");
        assertThat(status.path("timestamp").asString()).isEqualTo(Long.toString(AT.getEpochSecond()));
        assertThat(status.path("recipient_id").asString()).isEqualTo(CUSTOMER);
        assertThat(status.path("biz_opaque_callback_data").asString()).isEqualTo("order-42");
        assertThat(status.path("pricing").path("pricing_model").asString()).isEqualTo("PMP");
        assertThat(status.path("pricing").path("category").asString()).isEqualTo("service");
        assertThat(status.has("errors")).isFalse();
    }

    @Test
    void readStatusWithoutCallbackDataHasNeitherCallbackDataNorPricing() {
        JsonNode status = status(receipt(outbound("wamid.out", "template", null), ReceiptStatus.READ));

        assertThat(status.path("status").asString()).isEqualTo("read");
        assertThat(status.has("biz_opaque_callback_data")).isFalse();
        assertThat(status.has("pricing")).isFalse();
    }

    @Test
    void failedStatusCarriesMetasErrorObject() {
        Receipt failed = new Receipt(outbound("wamid.out", "text", null), ReceiptStatus.FAILED, AT, 131026,
                "Message undeliverable");

        JsonNode error = status(failed).path("errors").get(0);

        assertThat(error.path("code").intValue()).isEqualTo(131026);
        assertThat(error.path("title").asString()).isEqualTo("Message undeliverable");
        assertThat(error.path("message").asString()).isEqualTo("Message undeliverable");
        assertThat(error.path("error_data").path("details").asString()).isNotBlank();
        assertThat(error.path("href").asString()).endsWith("/support/error-codes");
    }

    @Test
    void banModelNoticesBecomeAccountUpdates() {
        JsonNode warning = envelope(data.payloads.accountUpdate(target,
                new AccountNotice(BUSINESS, AccountNotice.Kind.WARNING, "too fast", AT))).path("entry").get(0);
        JsonNode ban = envelope(data.payloads.accountUpdate(target,
                new AccountNotice(BUSINESS, AccountNotice.Kind.BANNED, "too fast", AT))).path("entry").get(0);

        assertThat(warning.path("time").longValue()).isEqualTo(AT.getEpochSecond());
        JsonNode warningChange = warning.path("changes").get(0);
        assertThat(warningChange.path("field").asString()).isEqualTo("account_update");
        assertThat(warningChange.path("value").path("event").asString()).isEqualTo("ACCOUNT_VIOLATION");
        assertThat(warningChange.path("value").path("violation_info").path("violation_type").asString())
                .isNotBlank();
        JsonNode banValue = ban.path("changes").get(0).path("value");
        assertThat(banValue.path("event").asString()).isEqualTo("DISABLED_UPDATE");
        assertThat(banValue.path("ban_info").path("waba_ban_state").asString()).isEqualTo("DISABLE");
        assertThat(banValue.path("ban_info").path("waba_ban_date").asString()).isEqualTo("May 1, 2026");
        assertThat(banValue.path("phone_number").asString()).isEqualTo(BUSINESS);
    }

    @Test
    void severalEntriesShareOneEnvelope() {
        JsonNode json = JSON.readTree(data.payloads.envelope(List.of(
                data.payloads.inbound(target, WebhookTestData.text("wamid.1", "uno")),
                data.payloads.status(target, receipt(outbound("wamid.2", "text", null), ReceiptStatus.SENT)))));

        assertThat(json.path("entry")).hasSize(2);
    }
}
