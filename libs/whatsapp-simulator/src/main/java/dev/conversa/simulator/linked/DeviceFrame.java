package dev.conversa.simulator.linked;

import java.util.List;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Frames a device sends to the simulator (protocol v1). Unknown fields are ignored so that later minor versions can
 * add some; an unknown {@code type} is answered with an {@code error} frame.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = DeviceFrame.Hello.class, name = "hello"),
    @JsonSubTypes.Type(value = DeviceFrame.PairingCodeRequest.class, name = "pairing-code.request"),
    @JsonSubTypes.Type(value = DeviceFrame.Send.class, name = "send"),
    @JsonSubTypes.Type(value = DeviceFrame.Read.class, name = "read"),
    @JsonSubTypes.Type(value = DeviceFrame.DeliveryAck.class, name = "delivery.ack"),
    @JsonSubTypes.Type(value = DeviceFrame.Ping.class, name = "ping"),
    @JsonSubTypes.Type(value = DeviceFrame.Pong.class, name = "pong"),
    @JsonSubTypes.Type(value = DeviceFrame.Logout.class, name = "logout")})
@JsonIgnoreProperties(ignoreUnknown = true)
sealed interface DeviceFrame {

    /** The first frame: the protocol version, and credentials unless the device is to be paired. */
    record Hello(@Nullable Integer protocol, @Nullable String client, @Nullable Credentials credentials)
            implements DeviceFrame {
    }

    /** Asks for a pairing code for {@code phoneNumber} (digits with country code, no {@code +}). */
    record PairingCodeRequest(@Nullable String phoneNumber) implements DeviceFrame {
    }

    record Send(@Nullable String clientRef, @Nullable String to, @Nullable OutgoingMessage message)
            implements DeviceFrame {
    }

    /**
     * What the device sends: {@code type} is text, image, document, audio, video, location or reaction; the fields
     * that type needs are set.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record OutgoingMessage(
            @Nullable String type,
            @Nullable String text,
            @Nullable String mediaId,
            @Nullable String caption,
            @Nullable String filename,
            @Nullable Double latitude,
            @Nullable Double longitude,
            @Nullable String name,
            @Nullable String address,
            @Nullable String waMessageId,
            @Nullable String emoji) {
    }

    /** The device read these inbound messages. */
    record Read(@Nullable List<String> waMessageIds) implements DeviceFrame {
    }

    /**
     * The device has durably handed on the {@code message} and {@code receipt} frames with these {@code deliveryId}s
     * (1 to {@link #MAX_IDS}); they are not delivered again.
     */
    record DeliveryAck(@Nullable List<String> deliveryIds) implements DeviceFrame {

        static final int MAX_IDS = 1000;
    }

    record Ping(@Nullable String id) implements DeviceFrame {
    }

    record Pong(@Nullable String id) implements DeviceFrame {
    }

    /** Unlink this device: its credentials stop working. */
    record Logout() implements DeviceFrame {
    }
}
