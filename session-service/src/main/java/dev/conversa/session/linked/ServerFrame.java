package dev.conversa.session.linked;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Frames the server sends to the device (linked-device protocol v1, {@code libs/whatsapp-simulator/docs}). Every
 * field is nullable on purpose: the server leaves null fields out, a later minor version may add fields (ignored) and
 * a frame {@code type} this version does not know becomes {@link Unknown}, so a newer server never breaks the device.
 * What a frame must carry is checked where it is used.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type",
        defaultImpl = ServerFrame.Unknown.class)
@JsonSubTypes({
    @JsonSubTypes.Type(value = ServerFrame.Qr.class, name = "qr"),
    @JsonSubTypes.Type(value = ServerFrame.PairingCode.class, name = "pairing-code"),
    @JsonSubTypes.Type(value = ServerFrame.PairSuccess.class, name = "pair-success"),
    @JsonSubTypes.Type(value = ServerFrame.Open.class, name = "open"),
    @JsonSubTypes.Type(value = ServerFrame.Message.class, name = "message"),
    @JsonSubTypes.Type(value = ServerFrame.Ack.class, name = "ack"),
    @JsonSubTypes.Type(value = ServerFrame.Receipt.class, name = "receipt"),
    @JsonSubTypes.Type(value = ServerFrame.Ping.class, name = "ping"),
    @JsonSubTypes.Type(value = ServerFrame.Pong.class, name = "pong"),
    @JsonSubTypes.Type(value = ServerFrame.Notice.class, name = "notice"),
    @JsonSubTypes.Type(value = ServerFrame.Error.class, name = "error"),
    @JsonSubTypes.Type(value = ServerFrame.Disconnect.class, name = "disconnect")})
@JsonIgnoreProperties(ignoreUnknown = true)
sealed interface ServerFrame {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Qr(@Nullable String ref, @Nullable Integer attempt, @Nullable Instant expiresAt) implements ServerFrame {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PairingCode(@Nullable String code, @Nullable String phoneNumber, @Nullable Instant expiresAt)
            implements ServerFrame {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PairSuccess(@Nullable Credentials credentials, @Nullable String phoneNumber, @Nullable String pushName)
            implements ServerFrame {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Credentials(@Nullable String deviceId, @Nullable String secret) {

        @Override
        public String toString() {
            return "Credentials[deviceId=" + deviceId + ", secret=<hidden>]";
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Open(@Nullable String deviceId, @Nullable String phoneNumber, @Nullable String pushName,
            @Nullable Integer pending) implements ServerFrame {
    }

    /** A customer's message; {@code toString} leaves the content out, so it cannot reach a log by accident. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Message(
            @Nullable String deliveryId,
            @Nullable String waMessageId,
            @Nullable String from,
            @Nullable String to,
            @Nullable String pushName,
            @Nullable String messageType,
            @Nullable String text,
            @Nullable Media media,
            @Nullable Location location,
            @Nullable Reaction reaction,
            @Nullable ButtonReply buttonReply,
            @Nullable String contextWaMessageId,
            @Nullable Instant timestamp,
            @Nullable Long sentAtMicros) implements ServerFrame {

        @Override
        public String toString() {
            return "Message[deliveryId=" + deliveryId + ", messageType=" + messageType + "]";
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Media(@Nullable String id, @Nullable String mimeType, @Nullable String sha256, @Nullable Long fileSize,
            @Nullable String filename, @Nullable String caption) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Location(@Nullable Double latitude, @Nullable Double longitude, @Nullable String name,
            @Nullable String address) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Reaction(@Nullable String waMessageId, @Nullable String emoji) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ButtonReply(@Nullable String id, @Nullable String title) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Ack(@Nullable String clientRef, @Nullable String waMessageId, @Nullable Instant timestamp,
            @Nullable Problem error) implements ServerFrame {
    }

    /** The {@code error} of an {@code ack}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Problem(@Nullable Integer code, @Nullable String reason) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Receipt(@Nullable String deliveryId, @Nullable String waMessageId, @Nullable String clientRef,
            @Nullable String status, @Nullable Instant timestamp, @Nullable ReceiptError error)
            implements ServerFrame {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ReceiptError(@Nullable Integer code, @Nullable String title) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Ping(@Nullable String id) implements ServerFrame {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Pong(@Nullable String id) implements ServerFrame {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Notice(@Nullable String kind, @Nullable String reason) implements ServerFrame {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Error(@Nullable Integer code, @Nullable String reason) implements ServerFrame {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Disconnect(@Nullable Integer code, @Nullable String reason) implements ServerFrame {
    }

    /** A frame type of a newer minor version: ignored. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Unknown() implements ServerFrame {
    }
}
