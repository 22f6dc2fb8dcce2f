package dev.conversa.events.conversation;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Whether a stored message came from the contact (inbound) or went to it (outbound); on the wire in lower case. */
public enum MessageDirection {
    INBOUND, OUTBOUND;

    /** The wire value, e.g. {@code "inbound"}. */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant of a wire value. */
    @JsonCreator
    public static MessageDirection fromValue(String value) {
        for (MessageDirection constant : values()) {
            if (constant.value().equals(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("Unknown MessageDirection value: " + value);
    }
}
