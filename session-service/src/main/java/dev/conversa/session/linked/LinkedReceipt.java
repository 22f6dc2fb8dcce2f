package dev.conversa.session.linked;

import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.conversa.events.message.DeliveryStatus;

/**
 * A {@code receipt} frame: a status of a message this device sent.
 *
 * @param deliveryId  the frame's id for {@code delivery.ack} ({@code "<waMessageId>:<status>"})
 * @param waMessageId WhatsApp's id of the sent message
 * @param clientRef   the send's {@code clientRef}, when the server knows it
 * @param status      sent, delivered, read or failed
 * @param timestamp   when the status changed
 * @param errorCode   Meta's error code, on failed (131026: the recipient is not on WhatsApp)
 * @param errorTitle  Meta's error title, on failed
 */
public record LinkedReceipt(
        String deliveryId,
        String waMessageId,
        @Nullable String clientRef,
        DeliveryStatus status,
        Instant timestamp,
        @Nullable Integer errorCode,
        @Nullable String errorTitle) {

    public LinkedReceipt {
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(waMessageId, "waMessageId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /**
     * The receipt of a frame.
     *
     * @throws IllegalArgumentException when the frame lacks a field every receipt has, or its status is unknown
     */
    static LinkedReceipt of(ServerFrame.Receipt frame) {
        if (frame.deliveryId() == null || frame.waMessageId() == null || frame.status() == null
                || frame.timestamp() == null) {
            throw new IllegalArgumentException("a receipt frame needs deliveryId, waMessageId, status and timestamp");
        }
        DeliveryStatus status = DeliveryStatus.fromValue(frame.status());
        ServerFrame.ReceiptError error = frame.error();
        return new LinkedReceipt(frame.deliveryId(), frame.waMessageId(), frame.clientRef(), status,
                frame.timestamp(), error == null ? null : error.code(), error == null ? null : error.title());
    }
}
