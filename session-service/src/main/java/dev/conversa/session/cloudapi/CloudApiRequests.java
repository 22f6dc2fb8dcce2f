package dev.conversa.session.cloudapi;

import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.conversa.events.command.MediaRef;
import dev.conversa.events.command.TemplateRef;
import dev.conversa.events.message.Location;
import dev.conversa.events.message.MessageType;
import dev.conversa.session.transport.OutboundSend;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The body of {@code POST /{version}/{phone-number-id}/messages} for one {@link OutboundSend}, in Meta's shape
 * (reference whatsapp-cloud-api.md §1): {@code messaging_product}, {@code recipient_type}, {@code to} as
 * {@code +E.164} (without the {@code +} Meta would prepend the business number's country code), {@code type}, the
 * object named after the type, {@code context} for a reply and {@code biz_opaque_callback_data} = the send's
 * {@code clientRef}, which Meta echoes in the statuses of the message.
 *
 * <p>Media go by {@code id} once uploaded for the number ({@link OutboundSend#transportMediaId()}: our stored file,
 * uploaded by the dispatcher first), else by {@code link} (a public URL); a media with neither is refused here, as
 * are sends missing the object of their type and types the Cloud API adapter does not send (contacts, interactive,
 * button).
 */
final class CloudApiRequests {

    /** Meta's limit of {@code biz_opaque_callback_data}. */
    static final int CALLBACK_DATA_MAX = 512;

    private static final Pattern E164 = Pattern.compile("^\\+[1-9][0-9]{6,14}$");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s().\\-/]");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CloudApiRequests() {
    }

    /** A send the adapter cannot turn into a Cloud API request; the message names no content and no number. */
    static final class InvalidSendException extends RuntimeException {

        InvalidSendException(String message) {
            super(message, null, false, false);
        }
    }

    static ObjectNode body(OutboundSend send) {
        if (send.clientRef().isBlank() || send.clientRef().length() > CALLBACK_DATA_MAX) {
            throw new InvalidSendException("clientRef must be 1.." + CALLBACK_DATA_MAX + " characters");
        }
        ObjectNode body = NODES.objectNode();
        body.put("messaging_product", "whatsapp");
        body.put("recipient_type", "individual");
        body.put("to", recipient(send.to()));
        body.put("type", send.type().value());
        switch (send.type()) {
            case TEXT -> text(body, send.text());
            case IMAGE, VIDEO, DOCUMENT, AUDIO, STICKER -> media(body, send.type(), send.media(),
                    send.transportMediaId());
            case LOCATION -> location(body, send.location());
            case REACTION -> reaction(body, send.replyToWaMessageId(), send.text());
            case TEMPLATE -> template(body, send.template());
            default -> throw new InvalidSendException("message type " + send.type().value()
                    + " is not sent through the Cloud API adapter");
        }
        if (send.replyToWaMessageId() != null && send.type() != MessageType.REACTION) {
            body.putObject("context").put("message_id", send.replyToWaMessageId());
        }
        body.put("biz_opaque_callback_data", send.clientRef());
        return body;
    }

    /**
     * The mark-as-read of one inbound message (reference §5): {@code messaging_product}, {@code status: read} and
     * {@code message_id}; no typing indicator.
     */
    static ObjectNode markRead(String waMessageId) {
        if (waMessageId.isBlank()) {
            throw new InvalidSendException("a mark-as-read needs the message id");
        }
        ObjectNode body = NODES.objectNode();
        body.put("messaging_product", "whatsapp");
        body.put("status", "read");
        body.put("message_id", waMessageId);
        return body;
    }

    /** {@code +E.164}: separators removed, {@code 00} read as {@code +}, a missing {@code +} added. */
    static String recipient(String to) {
        String compact = SEPARATORS.matcher(to.strip()).replaceAll("");
        if (compact.startsWith("00")) {
            compact = "+" + compact.substring(2);
        }
        else if (!compact.startsWith("+")) {
            compact = "+" + compact;
        }
        if (!E164.matcher(compact).matches()) {
            throw new InvalidSendException("the recipient is not an E.164 phone number");
        }
        return compact;
    }

    private static void text(ObjectNode body, @Nullable String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidSendException("a text message needs a text");
        }
        ObjectNode object = body.putObject("text");
        object.put("body", text);
        object.put("preview_url", false);
    }

    private static void media(ObjectNode body, MessageType type, @Nullable MediaRef media,
            @Nullable String uploadedId) {
        if (media == null) {
            throw new InvalidSendException("a " + type.value() + " message needs a media reference");
        }
        ObjectNode object = body.putObject(type.value());
        if (uploadedId != null) {
            object.put("id", uploadedId);
        }
        else {
            if (media.url() == null || media.url().isBlank()) {
                throw new InvalidSendException("media neither uploaded nor at a public url");
            }
            String scheme = schemeOf(media.url());
            if (!"https".equals(scheme) && !"http".equals(scheme)) {
                throw new InvalidSendException("media url must be http(s)");
            }
            object.put("link", media.url());
        }
        boolean captioned = type != MessageType.AUDIO && type != MessageType.STICKER;
        if (captioned && media.caption() != null && !media.caption().isEmpty()) {
            object.put("caption", media.caption());
        }
        if (type == MessageType.DOCUMENT && media.filename() != null && !media.filename().isBlank()) {
            object.put("filename", media.filename());
        }
    }

    private static void location(ObjectNode body, @Nullable Location location) {
        if (location == null) {
            throw new InvalidSendException("a location message needs a location");
        }
        ObjectNode object = body.putObject("location");
        object.put("latitude", location.latitude());
        object.put("longitude", location.longitude());
        if (location.name() != null) {
            object.put("name", location.name());
        }
        if (location.address() != null) {
            object.put("address", location.address());
        }
    }

    private static void reaction(ObjectNode body, @Nullable String messageId, @Nullable String emoji) {
        if (messageId == null || messageId.isBlank()) {
            throw new InvalidSendException("a reaction needs the message it reacts to");
        }
        ObjectNode object = body.putObject("reaction");
        object.put("message_id", messageId);
        // an empty emoji removes the reaction (Meta's webhook shape of a removal has none)
        object.put("emoji", emoji == null ? "" : emoji);
    }

    private static void template(ObjectNode body, @Nullable TemplateRef template) {
        if (template == null) {
            throw new InvalidSendException("a template message needs a template");
        }
        ObjectNode object = body.putObject("template");
        object.put("name", template.name());
        object.putObject("language").put("code", template.language());
        if (!template.parameters().isEmpty()) {
            ObjectNode component = object.putArray("components").addObject();
            component.put("type", "body");
            ArrayNode parameters = component.putArray("parameters");
            for (String value : template.parameters()) {
                ObjectNode parameter = parameters.addObject();
                parameter.put("type", "text");
                parameter.put("text", value);
            }
        }
    }

    private static @Nullable String schemeOf(String url) {
        int colon = url.indexOf(':');
        return colon <= 0 ? null : url.substring(0, colon).toLowerCase(Locale.ROOT);
    }
}
