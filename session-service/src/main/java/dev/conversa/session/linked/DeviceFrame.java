package dev.conversa.session.linked;

import java.util.List;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

/** Frames the device sends to the server (linked-device protocol v1); null fields are left out. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonInclude(JsonInclude.Include.NON_NULL)
sealed interface DeviceFrame {

    /** {@code logout} has no fields; written as a constant (Jackson refuses beans without properties). */
    String LOGOUT = "{\"type\":\"logout\"}";

    @JsonTypeName("hello")
    record Hello(int protocol, String client, @Nullable Credentials credentials) implements DeviceFrame {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Credentials(String deviceId, String secret) {

        @Override
        public String toString() {
            return "Credentials[deviceId=" + deviceId + ", secret=<hidden>]";
        }
    }

    @JsonTypeName("pairing-code.request")
    record PairingCodeRequest(String phoneNumber) implements DeviceFrame {
    }

    @JsonTypeName("send")
    record Send(String clientRef, String to, OutgoingMessage message) implements DeviceFrame {
    }

    /**
     * The message of a {@code send}: {@code type} and the fields that type needs ({@code mediaId} of an uploaded
     * file, its {@code caption} and {@code filename} for media).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record OutgoingMessage(
            String type,
            @Nullable String text,
            @Nullable Double latitude,
            @Nullable Double longitude,
            @Nullable String name,
            @Nullable String address,
            @Nullable String waMessageId,
            @Nullable String emoji,
            @Nullable String mediaId,
            @Nullable String caption,
            @Nullable String filename) {

        OutgoingMessage(String type, @Nullable String text, @Nullable Double latitude, @Nullable Double longitude,
                @Nullable String name, @Nullable String address, @Nullable String waMessageId,
                @Nullable String emoji) {
            this(type, text, latitude, longitude, name, address, waMessageId, emoji, null, null, null);
        }

        static OutgoingMessage media(String type, String mediaId, @Nullable String caption,
                @Nullable String filename) {
            return new OutgoingMessage(type, null, null, null, null, null, null, null, mediaId, caption, filename);
        }

        @Override
        public String toString() {
            return "OutgoingMessage[type=" + type + "]";
        }
    }

    /** The device read these inbound messages; the server does not answer. */
    @JsonTypeName("read")
    record Read(List<String> waMessageIds) implements DeviceFrame {
    }

    @JsonTypeName("delivery.ack")
    record DeliveryAck(List<String> deliveryIds) implements DeviceFrame {
    }

    @JsonTypeName("ping")
    record Ping(String id) implements DeviceFrame {
    }

    @JsonTypeName("pong")
    record Pong(@Nullable String id) implements DeviceFrame {
    }
}
