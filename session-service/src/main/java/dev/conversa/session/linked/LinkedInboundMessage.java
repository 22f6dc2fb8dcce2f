package dev.conversa.session.linked;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.conversa.events.message.ButtonReply;
import dev.conversa.events.message.Location;
import dev.conversa.events.message.MediaAttachment;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.events.message.MessageType;
import dev.conversa.events.message.Reaction;
import dev.conversa.web.logging.Pii;

/**
 * A {@code message} frame: a customer's message to the session's number, with phone numbers in E.164. Only the parts
 * its {@code messageType} uses are set. {@link #toString()} masks the numbers and leaves the content out.
 *
 * @param deliveryId         the frame's id for {@code delivery.ack} (the message's {@code waMessageId})
 * @param waMessageId        WhatsApp's id of the message
 * @param from               the customer, E.164 with {@code +}
 * @param to                 the session's number, E.164 with {@code +}
 * @param pushName           the customer's profile name
 * @param messageType        the kind of message; {@link MessageType#UNKNOWN} for a kind this version does not know
 * @param text               the text of a text message
 * @param media              the file of an image, document, audio or video message ({@code waMediaId} is the id to
 *                           download from the Cloud API media endpoints)
 * @param location           a shared location
 * @param reaction           a reaction and the message it applies to; its emoji is {@code null} when removed
 * @param buttonReply        the button or list row the customer chose
 * @param contextWaMessageId the message this one replies to
 * @param timestamp          when the customer sent it
 * @param sentAtMicros       load runs only: when the load generator sent it (epoch µs), for end-to-end latency
 */
public record LinkedInboundMessage(
        String deliveryId,
        String waMessageId,
        String from,
        @Nullable String to,
        @Nullable String pushName,
        MessageType messageType,
        @Nullable String text,
        @Nullable MediaAttachment media,
        @Nullable Location location,
        @Nullable Reaction reaction,
        @Nullable ButtonReply buttonReply,
        @Nullable String contextWaMessageId,
        Instant timestamp,
        @Nullable Long sentAtMicros) {

    private static final String UNKNOWN_MIME_TYPE = "application/octet-stream";

    public LinkedInboundMessage {
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(waMessageId, "waMessageId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(messageType, "messageType");
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /** The {@code conversa.message.received.v1} payload of this message. */
    public MessageReceived toEvent(String tenantId, UUID sessionId, Instant receivedAt) {
        return new MessageReceived(tenantId, sessionId, waMessageId, from, pushName, messageType, text, media,
                location, reaction, buttonReply, contextWaMessageId, timestamp, receivedAt);
    }

    @Override
    public String toString() {
        return "LinkedInboundMessage[deliveryId=" + deliveryId + ", waMessageId=" + waMessageId + ", from="
                + Pii.phone(from) + ", to=" + Pii.phone(to) + ", messageType=" + messageType.value() + ", text="
                + Pii.text(text) + ", timestamp=" + timestamp + "]";
    }

    /**
     * The message of a frame.
     *
     * @throws IllegalArgumentException when the frame lacks what every message has (ids, sender, timestamp)
     */
    static LinkedInboundMessage of(ServerFrame.Message frame) {
        if (frame.deliveryId() == null || frame.waMessageId() == null || frame.from() == null
                || frame.timestamp() == null) {
            throw new IllegalArgumentException("a message frame needs deliveryId, waMessageId, from and timestamp");
        }
        return new LinkedInboundMessage(frame.deliveryId(), frame.waMessageId(), WaNumbers.toE164(frame.from()),
                WaNumbers.toE164(frame.to()), frame.pushName(),
                frame.messageType() == null ? MessageType.UNKNOWN : MessageType.fromValue(frame.messageType()),
                frame.text(), media(frame.media()), location(frame.location()), reaction(frame.reaction()),
                buttonReply(frame.buttonReply()), frame.contextWaMessageId(), frame.timestamp(),
                frame.sentAtMicros());
    }

    private static @Nullable MediaAttachment media(ServerFrame.@Nullable Media media) {
        if (media == null) {
            return null;
        }
        return new MediaAttachment(media.id(), media.mimeType() == null ? UNKNOWN_MIME_TYPE : media.mimeType(),
                media.sha256(), media.fileSize(), media.filename(), media.caption(), null);
    }

    private static @Nullable Location location(ServerFrame.@Nullable Location location) {
        if (location == null || location.latitude() == null || location.longitude() == null) {
            return null;
        }
        return new Location(location.latitude(), location.longitude(), location.name(), location.address());
    }

    private static @Nullable Reaction reaction(ServerFrame.@Nullable Reaction reaction) {
        if (reaction == null || reaction.waMessageId() == null) {
            return null;
        }
        // the protocol removes a reaction with an empty emoji; the event says so with null
        String emoji = reaction.emoji() == null || reaction.emoji().isEmpty() ? null : reaction.emoji();
        return new Reaction(reaction.waMessageId(), emoji);
    }

    private static @Nullable ButtonReply buttonReply(ServerFrame.@Nullable ButtonReply reply) {
        if (reply == null || reply.id() == null) {
            return null;
        }
        return new ButtonReply(reply.id(), reply.title() == null ? "" : reply.title());
    }
}
