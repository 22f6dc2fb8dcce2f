package dev.conversa.simulator.linked;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * Frames the simulator sends to a device (protocol v1): one JSON object per WebSocket text frame, {@code type} first,
 * null fields left out. Timestamps are ISO-8601 strings. See {@code docs/linked-device-protocol.md}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonInclude(JsonInclude.Include.NON_NULL)
sealed interface ServerFrame {

    /** A QR ref to show; the phone scans {@code ref}. */
    @JsonTypeName("qr")
    record Qr(String ref, int attempt, long ttlSeconds, String expiresAt) implements ServerFrame {
    }

    /** The code the user types on the phone under Linked devices → Link with phone number. */
    @JsonTypeName("pairing-code")
    record PairingCode(String code, String phoneNumber, String expiresAt) implements ServerFrame {
    }

    /** The phone accepted the device: keep the credentials, then expect {@code disconnect} 515. */
    @JsonTypeName("pair-success")
    record PairSuccess(Credentials credentials, String phoneNumber, String pushName) implements ServerFrame {
    }

    /** The device is logged in; {@code pending} frames queued while it was away follow at once. */
    @JsonTypeName("open")
    record Open(String deviceId, String phoneNumber, String pushName, int pending) implements ServerFrame {
    }

    /**
     * A customer's message to the device's number. {@code deliveryId} is its {@code waMessageId}; the device
     * acknowledges it with {@code delivery.ack}, and until then gets it again (byte-identical) after a reconnect.
     */
    @JsonTypeName("message")
    record Message(
            String deliveryId,
            String waMessageId,
            String from,
            String to,
            String pushName,
            String messageType,
            @Nullable String text,
            @Nullable Media media,
            @Nullable Location location,
            @Nullable Reaction reaction,
            @Nullable ButtonReply buttonReply,
            @Nullable String contextWaMessageId,
            String timestamp,
            @Nullable Long sentAtMicros) implements ServerFrame {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Media(String id, String mimeType, @Nullable String sha256, @Nullable Long fileSize,
            @Nullable String filename, @Nullable String caption) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Location(double latitude, double longitude, @Nullable String name, @Nullable String address) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Reaction(String waMessageId, @Nullable String emoji) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ButtonReply(String id, String title) {
    }

    /** The answer to a {@code send}: its WhatsApp id, or why it was refused. */
    @JsonTypeName("ack")
    record Ack(String clientRef, @Nullable String waMessageId, @Nullable String timestamp, @Nullable AckError error)
            implements ServerFrame {

        static Ack accepted(String clientRef, String waMessageId, String timestamp) {
            return new Ack(clientRef, waMessageId, timestamp, null);
        }

        static Ack refused(String clientRef, int code, String reason) {
            return new Ack(clientRef, null, null, new AckError(code, reason));
        }
    }

    record AckError(int code, String reason) {
    }

    /**
     * A status of a message the device sent. {@code deliveryId} is {@code "<waMessageId>:<status>"}; the device
     * acknowledges it with {@code delivery.ack} like a message.
     */
    @JsonTypeName("receipt")
    record Receipt(String deliveryId, String waMessageId, @Nullable String clientRef, String status, String timestamp,
            @Nullable ReceiptError error) implements ServerFrame {

        static Receipt of(String waMessageId, @Nullable String clientRef, String status, String timestamp,
                @Nullable ReceiptError error) {
            return new Receipt(deliveryId(waMessageId, status), waMessageId, clientRef, status, timestamp, error);
        }

        static String deliveryId(String waMessageId, String status) {
            return waMessageId + ":" + status;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ReceiptError(int code, @Nullable String title) {
    }

    @JsonTypeName("ping")
    record Ping(String id) implements ServerFrame {
    }

    @JsonTypeName("pong")
    record Pong(@Nullable String id) implements ServerFrame {
    }

    /** An account notice, e.g. a ban-model warning. */
    @JsonTypeName("notice")
    record Notice(String kind, String reason) implements ServerFrame {
    }

    /** A frame the simulator could not act on; the connection stays open. */
    @JsonTypeName("error")
    record Error(int code, String reason) implements ServerFrame {
    }

    /** Sent right before every close the simulator starts; the close status is {@code 4000 + code}. */
    @JsonTypeName("disconnect")
    record Disconnect(int code, String reason) implements ServerFrame {
    }
}
