package dev.conversa.simulator.webhook;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import dev.conversa.simulator.ban.AccountNotice;
import dev.conversa.simulator.core.InboundMessage;
import dev.conversa.simulator.core.OutboundRequest;
import dev.conversa.simulator.core.Receipt;
import dev.conversa.simulator.core.ReceiptStatus;
import dev.conversa.simulator.media.MediaStore;
import dev.conversa.simulator.media.SignedMediaUrls;
import dev.conversa.simulator.media.StoredMedia;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Meta's webhook shapes (reference §3): one {@code entry} per event, rendered when the event is queued, and the
 * envelope {@code {"object":"whatsapp_business_account","entry":[…]}} that carries one or more of them.
 *
 * <ul>
 * <li>inbound: {@code changes[{field:"messages", value:{messaging_product, metadata, contacts[], messages[]}}]};
 * <li>status: {@code value.statuses[{id, status, timestamp, recipient_id, biz_opaque_callback_data?, pricing?,
 * errors?}]};
 * <li>ban model notice: {@code changes[{field:"account_update", value:{event:"ACCOUNT_VIOLATION"|"DISABLED_UPDATE",
 * …}}]}.
 * </ul>
 */
@Component
public class WebhookPayloads {

    static final String ERROR_CODES_HREF = "/documentation/business-messaging/whatsapp/support/error-codes";
    private static final DateTimeFormatter BAN_DATE = DateTimeFormatter.ofPattern("MMMM d, yyyy", Locale.US)
            .withZone(ZoneOffset.UTC);

    private final JsonMapper mapper;
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private final MediaStore media;
    private final SignedMediaUrls mediaUrls;

    public WebhookPayloads(JsonMapper mapper, MediaStore media, SignedMediaUrls mediaUrls) {
        this.mapper = mapper;
        this.media = media;
        this.mediaUrls = mediaUrls;
    }

    /** The POST body for some entries. */
    public byte[] envelope(List<ObjectNode> entries) {
        ObjectNode envelope = nodes.objectNode();
        envelope.put("object", "whatsapp_business_account");
        envelope.putArray("entry").addAll(entries);
        return mapper.writeValueAsBytes(envelope);
    }

    /** A phone's message to the number. */
    public ObjectNode inbound(WebhookTarget target, InboundMessage message) {
        ObjectNode value = messagesValue(target);
        ObjectNode contact = value.putArray("contacts").addObject();
        contact.putObject("profile").put("name", message.pushName());
        contact.put("wa_id", message.from());
        value.putArray("messages").add(message(target, message));
        return entry(target, "messages", value, null);
    }

    /** A status of one of the number's messages. */
    public ObjectNode status(WebhookTarget target, Receipt receipt) {
        OutboundRequest request = receipt.message().request();
        ObjectNode status = nodes.objectNode();
        status.put("id", receipt.waMessageId());
        status.put("status", receipt.status().value());
        status.put("timestamp", epochSeconds(receipt.at()));
        status.put("recipient_id", request.to());
        if (request.clientRef() != null) {
            status.put("biz_opaque_callback_data", request.clientRef());
        }
        if (receipt.status() == ReceiptStatus.SENT) {
            boolean template = "template".equals(request.type());
            ObjectNode pricing = status.putObject("pricing");
            pricing.put("billable", template);
            pricing.put("pricing_model", "PMP");
            pricing.put("type", template ? "regular" : "free_customer_service");
            pricing.put("category", template ? "marketing" : "service");
        }
        if (receipt.status() == ReceiptStatus.FAILED) {
            int code = receipt.errorCode() == null ? 131000 : receipt.errorCode();
            String title = receipt.errorTitle() == null ? "Something went wrong" : receipt.errorTitle();
            status.putArray("errors").add(error(code, title, details(code, title)));
        }
        ObjectNode value = messagesValue(target);
        value.putArray("statuses").add(status);
        return entry(target, "messages", value, null);
    }

    /** The ban model's warning or ban, as Meta's {@code account_update}. */
    public ObjectNode accountUpdate(WebhookTarget target, AccountNotice notice) {
        ObjectNode value = nodes.objectNode();
        switch (notice.kind()) {
            case WARNING -> {
                value.put("event", "ACCOUNT_VIOLATION");
                value.putObject("violation_info").put("violation_type", "SPAM");
            }
            case BANNED, UNBANNED -> {
                value.put("event", "DISABLED_UPDATE");
                ObjectNode ban = value.putObject("ban_info");
                ban.put("waba_ban_state", notice.kind() == AccountNotice.Kind.BANNED ? "DISABLE" : "REINSTATE");
                ban.put("waba_ban_date", BAN_DATE.format(notice.at()));
            }
        }
        // not in Meta's payload, which is per WABA: the simulator bans numbers, so it says which one and why
        value.put("phone_number", notice.businessNumber());
        value.put("reason", notice.reason());
        return entry(target, "account_update", value, notice.at());
    }

    private ObjectNode message(WebhookTarget target, InboundMessage message) {
        ObjectNode node = nodes.objectNode();
        node.put("from", message.from());
        node.put("id", message.waMessageId());
        node.put("timestamp", epochSeconds(message.timestamp()));
        if (message.contextWaMessageId() != null) {
            ObjectNode context = node.putObject("context");
            context.put("from", target.displayPhoneNumber());
            context.put("id", message.contextWaMessageId());
        }
        String type = message.type();
        switch (type) {
            case "text" -> node.put("type", "text").putObject("text").put("body",
                    message.text() == null ? "" : message.text());
            case "image", "video", "audio", "document", "sticker" -> {
                if (message.media() == null) {
                    unsupported(node, "A " + type + " message without media");
                }
                else {
                    node.put("type", type).set(type, media(type, message.media(), message.text()));
                }
            }
            case "location" -> {
                if (message.location() == null) {
                    unsupported(node, "A location message without a location");
                }
                else {
                    ObjectNode location = node.put("type", "location").putObject("location");
                    location.put("latitude", message.location().latitude());
                    location.put("longitude", message.location().longitude());
                    putIfPresent(location, "name", message.location().name());
                    putIfPresent(location, "address", message.location().address());
                }
            }
            case "reaction" -> {
                if (message.reaction() == null) {
                    unsupported(node, "A reaction message without a reaction");
                }
                else {
                    ObjectNode reaction = node.put("type", "reaction").putObject("reaction");
                    reaction.put("message_id", message.reaction().waMessageId());
                    putIfPresent(reaction, "emoji", message.reaction().emoji());
                }
            }
            case "interactive" -> {
                if (message.buttonReply() == null) {
                    unsupported(node, "An interactive message without a reply");
                }
                else {
                    ObjectNode interactive = node.put("type", "interactive").putObject("interactive");
                    interactive.put("type", "button_reply");
                    ObjectNode reply = interactive.putObject("button_reply");
                    reply.put("id", message.buttonReply().id());
                    reply.put("title", message.buttonReply().title());
                }
            }
            case "button" -> {
                if (message.buttonReply() == null) {
                    unsupported(node, "A button message without a payload");
                }
                else {
                    ObjectNode button = node.put("type", "button").putObject("button");
                    button.put("payload", message.buttonReply().id());
                    button.put("text", message.buttonReply().title());
                }
            }
            default -> unsupported(node, "Message type " + type + " is not currently supported");
        }
        if (message.sentAtMicros() != null) {
            // not Meta's: load runs measure end-to-end latency from it (see docs/cloud-api.md)
            node.put("x_sim_sent_at_micros", message.sentAtMicros());
        }
        return node;
    }

    private ObjectNode media(String type, InboundMessage.Media file, @Nullable String text) {
        StoredMedia stored = media.find(file.id()).orElse(null);
        ObjectNode node = nodes.objectNode();
        String caption = file.caption() != null ? file.caption() : text;
        if (caption != null && !"audio".equals(type) && !"sticker".equals(type)) {
            node.put("caption", caption);
        }
        if ("document".equals(type)) {
            putIfPresent(node, "filename", file.filename() != null ? file.filename()
                    : stored == null ? null : stored.filename());
        }
        node.put("mime_type", file.mimeType());
        putIfPresent(node, "sha256", file.sha256() != null ? file.sha256() : stored == null ? null : stored.sha256());
        node.put("id", file.id());
        node.put("url", mediaUrls.downloadUrl(file.id(), null));
        if ("audio".equals(type)) {
            node.put("voice", false);
        }
        return node;
    }

    private void unsupported(ObjectNode node, String details) {
        node.put("type", "unsupported");
        node.putArray("errors").add(error(131051, "Message type unknown", details));
    }

    private ObjectNode error(int code, String title, String details) {
        ObjectNode error = nodes.objectNode();
        error.put("code", code);
        error.put("title", title);
        error.put("message", title);
        error.putObject("error_data").put("details", details);
        error.put("href", ERROR_CODES_HREF);
        return error;
    }

    private static String details(int code, String title) {
        return switch (code) {
            case 131026 -> "Message Undeliverable: the recipient is not a WhatsApp user, or cannot receive this "
                    + "message.";
            case 131049 -> "In order to maintain a healthy ecosystem engagement, the message failed to be delivered.";
            default -> title;
        };
    }

    private ObjectNode messagesValue(WebhookTarget target) {
        ObjectNode value = nodes.objectNode();
        value.put("messaging_product", "whatsapp");
        ObjectNode metadata = value.putObject("metadata");
        metadata.put("display_phone_number", target.displayPhoneNumber());
        metadata.put("phone_number_id", target.phoneNumberId());
        return value;
    }

    private ObjectNode entry(WebhookTarget target, String field, ObjectNode value, @Nullable Instant time) {
        ObjectNode entry = nodes.objectNode();
        entry.put("id", target.wabaId());
        if (time != null) {
            entry.put("time", time.getEpochSecond());
        }
        ArrayNode changes = entry.putArray("changes");
        ObjectNode change = changes.addObject();
        change.set("value", value);
        change.put("field", field);
        return entry;
    }

    private static void putIfPresent(ObjectNode node, String name, @Nullable String value) {
        if (value != null) {
            node.put(name, value);
        }
    }

    private static String epochSeconds(Instant instant) {
        return Long.toString(instant.getEpochSecond());
    }
}
