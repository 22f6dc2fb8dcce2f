package dev.conversa.session.transport;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.conversa.events.command.MediaRef;
import dev.conversa.events.command.TemplateRef;
import dev.conversa.events.message.Location;
import dev.conversa.events.message.MessageType;

/**
 * One message to send, as the transports need it.
 *
 * @param clientRef          our idempotency key of the send; the same on every resend (linked: {@code clientRef};
 *                           Cloud API: {@code biz_opaque_callback_data}), so a receipt names the send it belongs to
 * @param to                 the recipient, E.164 with {@code +}
 * @param type               text, image, audio, video, document, location, reaction or template
 * @param text               text of a text message, or the emoji of a reaction
 * @param media              the file of a media message
 * @param template           the template of a template message (Cloud API only)
 * @param location           the location of a location message
 * @param replyToWaMessageId the message to quote, or the message a reaction applies to
 * @param transportMediaId   WhatsApp's id of the media file once uploaded for this session
 *                           ({@link LiveConnection#uploadMedia}); null for text, or media sent by public link
 */
public record OutboundSend(
        String clientRef,
        String to,
        MessageType type,
        @Nullable String text,
        @Nullable MediaRef media,
        @Nullable TemplateRef template,
        @Nullable Location location,
        @Nullable String replyToWaMessageId,
        @Nullable String transportMediaId) {

    public OutboundSend {
        Objects.requireNonNull(clientRef, "clientRef");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(type, "type");
    }

    /** A send whose media, if any, goes by its public link. */
    public OutboundSend(String clientRef, String to, MessageType type, @Nullable String text, @Nullable MediaRef media,
            @Nullable TemplateRef template, @Nullable Location location, @Nullable String replyToWaMessageId) {
        this(clientRef, to, type, text, media, template, location, replyToWaMessageId, null);
    }

    /** A text message. */
    public static OutboundSend text(String clientRef, String to, String text) {
        return new OutboundSend(clientRef, to, MessageType.TEXT, text, null, null, null, null);
    }

    /** The same send naming the file WhatsApp stored for this session. */
    public OutboundSend withTransportMediaId(String mediaId) {
        return new OutboundSend(clientRef, to, type, text, media, template, location, replyToWaMessageId,
                Objects.requireNonNull(mediaId, "mediaId"));
    }
}
