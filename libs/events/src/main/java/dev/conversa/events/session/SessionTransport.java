package dev.conversa.events.session;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a session talks to WhatsApp (DESIGN.md, "WhatsApp transports"). */
public enum SessionTransport {
    /** A linked device (QR code / pairing code). */
    LINKED("linked"),
    /** Meta's WhatsApp Business Cloud API. */
    CLOUD_API("cloud-api");

    private final String value;

    SessionTransport(String value) {
        this.value = value;
    }

    /** The wire value: {@code "linked"} or {@code "cloud-api"}. */
    @JsonValue
    public String value() {
        return value;
    }

    /** The constant of a wire value. */
    @JsonCreator
    public static SessionTransport fromValue(String value) {
        for (SessionTransport transport : values()) {
            if (transport.value.equals(value)) {
                return transport;
            }
        }
        throw new IllegalArgumentException("Unknown session transport: " + value);
    }
}
