package dev.conversa.session.cloudwebhook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.conversa.events.message.ButtonReply;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.Location;
import dev.conversa.events.message.MediaAttachment;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.events.message.MessageStatusChanged;
import dev.conversa.events.message.MessageType;
import dev.conversa.events.message.Reaction;
import dev.conversa.web.logging.Pii;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns Meta's webhook envelope ({@code entry[].changes[].value} with {@code messages[]} and {@code statuses[]}) into
 * Conversa events of one session. Entries it cannot use (no id, no sender, a status Conversa does not track such as
 * {@code played}) are skipped with a log line rather than failing the whole batch: Meta would retry it for days.
 */
final class CloudWebhookParser {

    private static final Logger log = LoggerFactory.getLogger(CloudWebhookParser.class);
    private static final String DEFAULT_MIME_TYPE = "application/octet-stream";

    private final JsonMapper json = JsonMapper.builder().build();

    /** @throws IllegalArgumentException when the body is not a JSON object */
    CloudWebhookPayload parse(byte[] body, WebhookSession session, Instant receivedAt) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("Webhook body is not JSON", e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("Webhook body is not a JSON object");
        }
        List<MessageReceived> messages = new ArrayList<>();
        List<MessageStatusChanged> statuses = new ArrayList<>();
        for (JsonNode entry : root.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                JsonNode value = change.path("value");
                Map<String, String> names = contactNames(value.path("contacts"));
                for (JsonNode message : value.path("messages")) {
                    MessageReceived received = message(message, names, session, receivedAt);
                    if (received != null) {
                        messages.add(received);
                    }
                }
                for (JsonNode status : value.path("statuses")) {
                    MessageStatusChanged changed = status(status, session);
                    if (changed != null) {
                        statuses.add(changed);
                    }
                }
                for (JsonNode error : value.path("errors")) {
                    log.warn("Cloud API reported error {} on session {}: {}", text(error, "code"), session.id(),
                            text(error, "title"));
                }
            }
        }
        return new CloudWebhookPayload(List.copyOf(messages), List.copyOf(statuses));
    }

    private static Map<String, String> contactNames(JsonNode contacts) {
        Map<String, String> names = new HashMap<>();
        for (JsonNode contact : contacts) {
            String waId = text(contact, "wa_id");
            String name = text(contact.path("profile"), "name");
            if (waId != null && name != null) {
                names.put(waId, name);
            }
        }
        return names;
    }

    private static @Nullable MessageReceived message(JsonNode message, Map<String, String> names,
            WebhookSession session, Instant receivedAt) {
        String id = text(message, "id");
        String from = text(message, "from");
        String wireType = text(message, "type");
        if (id == null || from == null || wireType == null) {
            log.warn("Skipping a webhook message without id, sender or type on session {}", session.id());
            return null;
        }
        MessageType type = MessageType.fromValue(wireType);
        String text = null;
        MediaAttachment media = null;
        Location location = null;
        Reaction reaction = null;
        ButtonReply buttonReply = null;
        switch (type) {
            case TEXT -> text = text(message.path("text"), "body");
            case IMAGE, AUDIO, VIDEO, DOCUMENT, STICKER -> {
                JsonNode part = message.path(wireType);
                String mimeType = text(part, "mime_type");
                media = new MediaAttachment(text(part, "id"), mimeType == null ? DEFAULT_MIME_TYPE : mimeType,
                        text(part, "sha256"), null, text(part, "filename"), text(part, "caption"), null);
                text = media.caption();
            }
            case LOCATION -> {
                JsonNode part = message.path("location");
                location = new Location(part.path("latitude").asDouble(), part.path("longitude").asDouble(),
                        text(part, "name"), text(part, "address"));
            }
            case REACTION -> {
                String reactedTo = text(message.path("reaction"), "message_id");
                reaction = reactedTo == null ? null : new Reaction(reactedTo, text(message.path("reaction"), "emoji"));
            }
            case INTERACTIVE -> {
                JsonNode interactive = message.path("interactive");
                String kind = text(interactive, "type");
                if (kind != null) {
                    JsonNode reply = interactive.path(kind);
                    String replyId = text(reply, "id");
                    String title = text(reply, "title");
                    if (replyId != null && title != null) {
                        buttonReply = new ButtonReply(replyId, title);
                        text = title;
                    }
                }
            }
            case BUTTON -> {
                JsonNode button = message.path("button");
                String payload = text(button, "payload");
                String title = text(button, "text");
                if (payload != null && title != null) {
                    buttonReply = new ButtonReply(payload, title);
                }
                text = title;
            }
            default -> log.debug("Webhook message of type {} on session {} carried without content", wireType,
                    session.id());
        }
        String sender = e164(from);
        log.debug("Webhook {} from {} on session {}: {}", type.value(), Pii.phone(sender), session.id(),
                Pii.text(text));
        return new MessageReceived(session.tenantId(), session.id(), id, sender, names.get(bare(from)), type, text,
                media, location, reaction, buttonReply, text(message.path("context"), "id"),
                epochSeconds(message, receivedAt), receivedAt);
    }

    private static @Nullable MessageStatusChanged status(JsonNode status, WebhookSession session) {
        String id = text(status, "id");
        String wireStatus = text(status, "status");
        String recipient = text(status, "recipient_id");
        if (id == null || wireStatus == null || recipient == null) {
            log.warn("Skipping a webhook status without id, status or recipient on session {}", session.id());
            return null;
        }
        DeliveryStatus delivery = switch (wireStatus) {
            case "sent" -> DeliveryStatus.SENT;
            case "delivered" -> DeliveryStatus.DELIVERED;
            case "read" -> DeliveryStatus.READ;
            case "failed" -> DeliveryStatus.FAILED;
            default -> null;
        };
        if (delivery == null) {
            log.debug("Ignoring webhook status '{}' on session {}", wireStatus, session.id());
            return null;
        }
        Integer errorCode = null;
        String errorTitle = null;
        JsonNode error = status.path("errors").path(0);
        if (!error.isMissingNode()) {
            errorCode = error.path("code").canConvertToInt() ? error.path("code").asInt() : null;
            errorTitle = text(error, "title");
        }
        // the Cloud API sender puts the send command's reference in biz_opaque_callback_data; Meta echoes it here
        String reference = text(status, "biz_opaque_callback_data");
        return new MessageStatusChanged(session.tenantId(), session.id(), null, id, reference, reference,
                e164(recipient), delivery, errorCode, errorTitle, null, epochSeconds(status, Instant.now()));
    }

    private static Instant epochSeconds(JsonNode node, Instant fallback) {
        JsonNode timestamp = node.path("timestamp");
        try {
            return timestamp.isMissingNode() || timestamp.isNull() ? fallback
                    : Instant.ofEpochSecond(Long.parseLong(timestamp.asString().strip()));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** Meta's wa_id ({@code 16505551234}) as E.164 ({@code +16505551234}). */
    static String e164(String waId) {
        return "+" + bare(waId);
    }

    private static String bare(String waId) {
        String stripped = waId.strip();
        return stripped.startsWith("+") ? stripped.substring(1) : stripped;
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.isMissingNode() ? null : value.asString();
    }
}
