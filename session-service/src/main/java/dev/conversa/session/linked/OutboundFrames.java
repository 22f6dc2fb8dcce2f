package dev.conversa.session.linked;

import org.jspecify.annotations.Nullable;

import dev.conversa.events.command.MediaRef;
import dev.conversa.events.message.Location;
import dev.conversa.events.message.MessageType;
import dev.conversa.session.transport.OutboundSend;
import dev.conversa.session.transport.SendResult;

/**
 * An {@link OutboundSend} as a {@code send} frame, or why a linked device cannot send it. Refusals are final
 * ({@code retryable=false}): the same send would be refused again.
 */
final class OutboundFrames {

    /** The protocol's code for an invalid send. */
    static final int INVALID = 400;

    private OutboundFrames() {
    }

    /** Either a frame to write or a refusal; exactly one is set. */
    record Prepared(DeviceFrame.@Nullable Send frame, SendResult.@Nullable Rejected rejected) {
    }

    static Prepared prepare(OutboundSend send) {
        String to;
        try {
            to = WaNumbers.toWire(send.to());
        }
        catch (IllegalArgumentException e) {
            return refuse("the recipient must be an E.164 number");
        }
        return switch (send.type()) {
            case TEXT -> send.text() == null || send.text().isEmpty()
                    ? refuse("a text message needs text")
                    : frame(send, to, new DeviceFrame.OutgoingMessage("text", send.text(), null, null, null, null,
                            null, null));
            case LOCATION -> {
                Location location = send.location();
                yield location == null ? refuse("a location message needs a location")
                        : frame(send, to, new DeviceFrame.OutgoingMessage("location", null, location.latitude(),
                                location.longitude(), location.name(), location.address(), null, null));
            }
            case REACTION -> send.replyToWaMessageId() == null
                    ? refuse("a reaction needs the waMessageId it reacts to (replyToWaMessageId)")
                    // an empty emoji removes the reaction
                    : frame(send, to, new DeviceFrame.OutgoingMessage("reaction", null, null, null, null, null,
                            send.replyToWaMessageId(), send.text() == null ? "" : send.text()));
            case IMAGE, AUDIO, VIDEO, DOCUMENT -> media(send, to);
            case STICKER -> refuse("a linked device cannot send stickers");
            case TEMPLATE -> refuse("templates can only be sent through the Cloud API, not a linked device");
            default -> refuse("a linked device cannot send " + send.type().value() + " messages");
        };
    }

    /** A file uploaded first: the frame names its media id; the caption goes with images, videos and documents. */
    private static Prepared media(OutboundSend send, String to) {
        if (send.transportMediaId() == null) {
            return refuse("a linked device sends media by the id of an uploaded file: give the media a stored mediaId, "
                    + "not only a url");
        }
        MediaRef media = send.media();
        String caption = media == null || send.type() == MessageType.AUDIO ? null : media.caption();
        String filename = media != null && send.type() == MessageType.DOCUMENT ? media.filename() : null;
        return frame(send, to, DeviceFrame.OutgoingMessage.media(send.type().value(), send.transportMediaId(),
                caption, filename));
    }

    private static Prepared frame(OutboundSend send, String to, DeviceFrame.OutgoingMessage message) {
        return new Prepared(new DeviceFrame.Send(send.clientRef(), to, message), null);
    }

    private static Prepared refuse(String title) {
        return new Prepared(null, new SendResult.Rejected(INVALID, title, false));
    }

    /** The result of an {@code ack}: 400 and 403 are final, 428 (not open yet) and 500 may succeed later. */
    static SendResult result(ServerFrame.Ack ack, java.time.Instant now) {
        ServerFrame.Problem error = ack.error();
        if (error == null && ack.waMessageId() != null) {
            return new SendResult.Accepted(ack.waMessageId(), ack.timestamp() == null ? now : ack.timestamp());
        }
        int code = error == null || error.code() == null ? 500 : error.code();
        String reason = error == null || error.reason() == null ? "ack without waMessageId" : error.reason();
        boolean retryable = switch (code) {
            case 400, 403 -> false;
            default -> code == 428 || code == 429 || code >= 500;
        };
        return new SendResult.Rejected(code, reason, retryable);
    }
}
