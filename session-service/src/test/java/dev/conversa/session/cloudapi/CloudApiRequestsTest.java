package dev.conversa.session.cloudapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.conversa.events.command.MediaRef;
import dev.conversa.events.command.TemplateRef;
import dev.conversa.events.message.Location;
import dev.conversa.events.message.MessageType;
import dev.conversa.session.transport.OutboundSend;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The request bodies in Meta's shape, compared as JSON. */
class CloudApiRequestsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void textIsSentToThePlusE164NumberWithoutPreviewAndWithTheClientRefAsCallbackData() {
        assertBody(OutboundSend.text("cmd-1", "+5491155551234", "Hola"), """
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"+5491155551234","type":"text",
                 "text":{"body":"Hola","preview_url":false},"biz_opaque_callback_data":"cmd-1"}""");
    }

    @Test
    void markAsReadNamesTheMessageWithStatusReadAndNothingElse() {
        assertThat(CloudApiRequests.markRead("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="))
                .isEqualTo(JSON.readTree("""
                        {"messaging_product":"whatsapp","status":"read",
                         "message_id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="}"""));
        assertThatThrownBy(() -> CloudApiRequests.markRead(" "))
                .isInstanceOf(CloudApiRequests.InvalidSendException.class);
    }

    @Test
    void recipientWithoutPlusOrWithSeparatorsBecomesPlusE164() {
        assertThat(CloudApiRequests.recipient("5491155551234")).isEqualTo("+5491155551234");
        assertThat(CloudApiRequests.recipient("+54 9 11 5555-1234")).isEqualTo("+5491155551234");
        assertThat(CloudApiRequests.recipient("0016505551234")).isEqualTo("+16505551234");
        assertThatThrownBy(() -> CloudApiRequests.recipient("12"))
                .isInstanceOf(CloudApiRequests.InvalidSendException.class)
                .hasMessageNotContaining("12");
    }

    @Test
    void replyCarriesTheQuotedMessageAsContext() {
        OutboundSend send = new OutboundSend("cmd-2", "+16505551234", MessageType.TEXT, "Sí", null, null, null,
                "wamid.QUOTED");

        assertBody(send, """
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"+16505551234","type":"text",
                 "text":{"body":"Sí","preview_url":false},"context":{"message_id":"wamid.QUOTED"},
                 "biz_opaque_callback_data":"cmd-2"}""");
    }

    @Test
    void documentGoesByLinkWithCaptionAndFilename() {
        MediaRef media = new MediaRef(UUID.randomUUID(), "application/pdf", "order.pdf", "Your order",
                "https://files.example.com/order.pdf");
        OutboundSend send = new OutboundSend("cmd-3", "+16505551234", MessageType.DOCUMENT, null, media, null, null,
                null);

        assertBody(send, """
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"+16505551234","type":"document",
                 "document":{"link":"https://files.example.com/order.pdf","caption":"Your order",
                   "filename":"order.pdf"},
                 "biz_opaque_callback_data":"cmd-3"}""");
    }

    @Test
    void audioHasNoCaptionAndImageNoFilename() {
        MediaRef audio = new MediaRef(null, "audio/ogg", "a.ogg", "ignored", "https://h/a.ogg");
        MediaRef image = new MediaRef(null, "image/png", "a.png", "look", "https://h/a.png");

        JsonNode audioBody = CloudApiRequests.body(
                new OutboundSend("c", "+16505551234", MessageType.AUDIO, null, audio, null, null, null));
        JsonNode imageBody = CloudApiRequests.body(
                new OutboundSend("c", "+16505551234", MessageType.IMAGE, null, image, null, null, null));

        assertThat(audioBody.get("audio")).isEqualTo(JSON.readTree("{\"link\":\"https://h/a.ogg\"}"));
        assertThat(imageBody.get("image"))
                .isEqualTo(JSON.readTree("{\"link\":\"https://h/a.png\",\"caption\":\"look\"}"));
    }

    @Test
    void mediaNeitherUploadedNorAtAPublicUrlCannotBeSent() {
        MediaRef media = new MediaRef(UUID.randomUUID(), "image/jpeg", null, null, null);
        OutboundSend send = new OutboundSend("cmd-4", "+16505551234", MessageType.IMAGE, null, media, null, null,
                null);

        assertThatThrownBy(() -> CloudApiRequests.body(send))
                .isInstanceOf(CloudApiRequests.InvalidSendException.class)
                .hasMessage("media neither uploaded nor at a public url");
    }

    @Test
    void uploadedMediaGoesByMetasIdEvenWhenItAlsoHasAUrl() {
        MediaRef media = new MediaRef(UUID.randomUUID(), "application/pdf", "factura.pdf", "marzo",
                "https://h/f.pdf");
        OutboundSend send = new OutboundSend("cmd-6", "+16505551234", MessageType.DOCUMENT, null, media, null, null,
                null).withTransportMediaId("1013859600285441");

        JsonNode body = CloudApiRequests.body(send);

        assertThat(body.get("document")).isEqualTo(JSON.readTree(
                "{\"id\":\"1013859600285441\",\"caption\":\"marzo\",\"filename\":\"factura.pdf\"}"));
    }

    @Test
    void locationCarriesCoordinatesNameAndAddress() {
        OutboundSend send = new OutboundSend("cmd-5", "+16505551234", MessageType.LOCATION, null, null, null,
                new Location(-34.6037, -58.3816, "Obelisco", "Av. 9 de Julio"), null);

        assertBody(send, """
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"+16505551234","type":"location",
                 "location":{"latitude":-34.6037,"longitude":-58.3816,"name":"Obelisco","address":"Av. 9 de Julio"},
                 "biz_opaque_callback_data":"cmd-5"}""");
    }

    @Test
    void reactionNamesTheMessageAndEmojiWithoutContext() {
        OutboundSend send = new OutboundSend("cmd-6", "+16505551234", MessageType.REACTION, "👍", null, null, null,
                "wamid.TARGET");

        assertBody(send, """
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"+16505551234","type":"reaction",
                 "reaction":{"message_id":"wamid.TARGET","emoji":"👍"},"biz_opaque_callback_data":"cmd-6"}""");
    }

    @Test
    void templateHasLanguageAndBodyTextParameters() {
        OutboundSend send = new OutboundSend("cmd-7", "+16505551234", MessageType.TEMPLATE, null, null,
                new TemplateRef("order_update", "es_MX", List.of("Ana", "#42")), null, null);

        assertBody(send, """
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"+16505551234","type":"template",
                 "template":{"name":"order_update","language":{"code":"es_MX"},
                   "components":[{"type":"body",
                     "parameters":[{"type":"text","text":"Ana"},{"type":"text","text":"#42"}]}]},
                 "biz_opaque_callback_data":"cmd-7"}""");
    }

    @Test
    void templateWithoutParametersHasNoComponents() {
        OutboundSend send = new OutboundSend("cmd-8", "+16505551234", MessageType.TEMPLATE, null, null,
                new TemplateRef("hello_world", "en_US", List.of()), null, null);

        assertThat(CloudApiRequests.body(send).get("template"))
                .isEqualTo(JSON.readTree("{\"name\":\"hello_world\",\"language\":{\"code\":\"en_US\"}}"));
    }

    @Test
    void sendsMissingTheirObjectOrOfUnsupportedTypesAreRefused() {
        assertThatThrownBy(() -> CloudApiRequests.body(
                new OutboundSend("c", "+16505551234", MessageType.TEMPLATE, null, null, null, null, null)))
                .isInstanceOf(CloudApiRequests.InvalidSendException.class);
        assertThatThrownBy(() -> CloudApiRequests.body(
                new OutboundSend("c", "+16505551234", MessageType.REACTION, "👍", null, null, null, null)))
                .isInstanceOf(CloudApiRequests.InvalidSendException.class);
        assertThatThrownBy(() -> CloudApiRequests.body(
                new OutboundSend("c", "+16505551234", MessageType.CONTACTS, null, null, null, null, null)))
                .isInstanceOf(CloudApiRequests.InvalidSendException.class);
        assertThatThrownBy(() -> CloudApiRequests.body(OutboundSend.text("x".repeat(513), "+16505551234", "hi")))
                .isInstanceOf(CloudApiRequests.InvalidSendException.class);
    }

    private static void assertBody(OutboundSend send, String expected) {
        assertThat(CloudApiRequests.body(send)).isEqualTo(JSON.readTree(expected));
    }
}
